package dev.megacuration.ingest.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Kafka record on topic {@code usage-reports} (schema version 2): the report with the deployment id
 * replaced by its tenant-scoped pseudonym and every timestamp coarsened to the hour. Nothing else about the
 * sender (address, agent, credential, identity) is in it. This is the only shape that leaves the edge.
 */
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
        List<Stale> stale) {

    public static final int SCHEMA_VERSION = 2;

    /**
     * Null statistics were not measured by the client; they stay null rather than becoming zero. Neither they
     * nor counts of 0 are written (a reader takes a missing count as 0 and a missing statistic as null), so
     * that a record is never much larger than the body it came from: written out, the 10,000 bare entries a
     * report may hold were 1.7 MB, over what Kafka takes in one record.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Span(long spanId, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int expands,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) int collapses, Double residency, Double swapRate,
                       Double deltaNll, Integer deltaNllHorizon, Long lastAccessStep, Long accessCount) {
    }

    public record Stale(long spanId, String reason) {
    }
}
