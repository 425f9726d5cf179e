package dev.megacuration.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "megacuration.ingest")
public interface IngestConfig {

    /** Reports per second one deployment may send (requests of a batch count per report). */
    @WithDefault("50")
    int ratePerSecond();

    /** Reports one deployment may send in a burst above its rate. */
    @WithDefault("200")
    int rateBurst();

    /** Most reports in one batch request. */
    @WithDefault("100")
    int maxBatch();

    /** How long a request waits for Kafka's acknowledgement before answering 503. */
    @WithDefault("10s")
    Duration kafkaTimeout();

    /** Retry-After (seconds) sent with 503 and 429 answers. */
    @WithDefault("5")
    int retryAfterSeconds();

    /**
     * Serves {@code POST /v1/baseline/reports}, the benchmark's bare parse-and-send endpoint (no
     * authentication, no rules). Off except in the benchmark's own instance.
     */
    @WithDefault("false")
    boolean baselineEndpoint();

    /**
     * How long the edge remembers accepted report ids (and refusals for the warnings view). A retry after
     * that is published again and dropped by analytics, which keeps report ids as long as their rows.
     */
    @WithDefault("35d")
    Duration ledgerRetention();

    /** How often rows past the retention are deleted. */
    @WithDefault("1h")
    Duration ledgerSweep();
}
