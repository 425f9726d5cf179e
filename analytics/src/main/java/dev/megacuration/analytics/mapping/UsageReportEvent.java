package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A record of topic {@code usage-reports} as analytics reads it (schema version 1, written by ingest-api).
 * Its own copy of the wire format: services share the topic's contract, never each other's classes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageReportEvent(
        int schemaVersion,
        UUID reportId,
        String tenant,
        String bundle,
        String version,
        String deployment,
        Instant windowStart,
        Instant windowEnd,
        Instant receivedAt,
        List<Expand> expands,
        List<Stale> stale) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Expand(long spanId, int count) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stale(long spanId, String reason) {
    }
}
