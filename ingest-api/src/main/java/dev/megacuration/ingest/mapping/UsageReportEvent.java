package dev.megacuration.ingest.mapping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Kafka record on topic {@code usage-reports}: the report with the deployment id replaced by its
 * tenant-scoped pseudonym. This is the only shape that leaves the ingest edge.
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
        List<Expand> expands,
        List<Stale> stale) {

    public static final int SCHEMA_VERSION = 1;

    public record Expand(long spanId, int count) {
    }

    public record Stale(long spanId, String reason) {
    }
}
