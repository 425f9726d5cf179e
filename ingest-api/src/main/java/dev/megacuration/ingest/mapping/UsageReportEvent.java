package dev.megacuration.ingest.mapping;

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

    /** Null statistics were not measured by the client; they stay null rather than becoming zero. */
    public record Span(long spanId, int expands, int collapses, Double residency, Double swapRate,
                       Double deltaNll, Integer deltaNllHorizon, Long lastAccessStep, Long accessCount) {
    }

    public record Stale(long spanId, String reason) {
    }
}
