package dev.megacuration.curation.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One page of the analytics curation feed, as the runner reads it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpanFeed(long total, long offset, int limit, int minDeployments, List<Item> spans) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(long spanId, int level, long index, Expand expand, Stale stale) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Expand(String status, Long expands, Long deployments, Double residency, DeltaNll deltaNll,
                         java.time.LocalDate lastSeen) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeltaNll(Double p50, Double p90) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stale(String status, Long reports, Long deployments) {
    }
}
