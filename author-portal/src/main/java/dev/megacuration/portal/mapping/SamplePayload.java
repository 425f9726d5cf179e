package dev.megacuration.portal.mapping;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Exactly what leaves the ingest edge for one report of this deployment: the Kafka record's fields, with the
 * pseudonym it would carry now. Everything not listed here (IP address, user agent, credential, the
 * deployment id, free text) is never sent on.
 */
public record SamplePayload(int schemaVersion, UUID reportId, String tenant, String bundle, String version,
                            String deployment, Instant windowStart, Instant windowEnd, Instant receivedAt,
                            List<Span> spans, List<Stale> stale, List<String> neverSent) {

    public record Span(String spanId, int expands, int collapses, Double residency, Double swapRate, Double deltaNll,
                       Integer deltaNllHorizon, Long lastAccessStep, Long accessCount) {
    }

    public record Stale(String spanId, String reason) {
    }
}
