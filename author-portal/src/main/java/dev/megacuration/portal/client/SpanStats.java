package dev.megacuration.portal.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The analytics API's answer for one bundle, as the portal reads it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpanStats(String tenant, String bundle, String version, String metric, int minDeployments,
                        String tier, java.time.LocalDate from, java.time.LocalDate to, boolean limitedByTier,
                        Integer tierMaxSpans, List<Span> spans) {

    /**
     * {@code residency}, {@code swapRate} and {@code deltaNll} are what the published reports measured (null
     * where none did); {@code lastSeen} is the last UTC day with a published piece.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Span(long spanId, int level, long index, long expands, long staleReports, long deployments,
                       String reason, Double residency, Double swapRate, DeltaNll deltaNll,
                       java.time.LocalDate lastSeen) {
    }

    /** Median and 90th percentile of ΔNLL@H (nats). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DeltaNll(Double p50, Double p90) {
    }
}
