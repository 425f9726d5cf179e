package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A record of topic {@code usage-reports} as analytics reads it, written by ingest-api. Its own copy of the
 * wire format: services share the topic's contract, never each other's classes. Schema version 2 carries
 * {@code spans} with full statistics; version 1 records (expand counts only, in {@code expands}) are still
 * read, so a topic written before the upgrade replays correctly. Version 3 carries several reports in
 * {@code reports} (a batch request's reports of one tenant and bundle), each as in version 2, and nothing else.
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
        List<Span> spans,
        List<ExpandV1> expands,
        List<Stale> stale,
        List<UsageReportEvent> reports) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Span(long spanId, int expands, int collapses, Double residency, Double swapRate, Double deltaNll,
                       Integer deltaNllHorizon, Long lastAccessStep, Long accessCount) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ExpandV1(long spanId, int count) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stale(long spanId, String reason) {
    }

    /** The reports this record carries: its {@code reports} (version 3), or itself. */
    public List<UsageReportEvent> carried() {
        return reports != null ? reports : List.of(this);
    }

    /** The span entries of either schema version. */
    public List<Span> spanEntries() {
        if (spans != null) {
            return spans;
        }
        return expands == null ? List.of() : expands.stream()
                .map(e -> new Span(e.spanId(), e.count(), 0, null, null, null, null, null, null)).toList();
    }

    public List<Stale> staleEntries() {
        return stale == null ? List.of() : stale;
    }
}
