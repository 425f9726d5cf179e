package dev.megacuration.analytics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "megacuration.analytics")
public interface AnalyticsConfig {

    /** Rows a top-spans query returns when the caller does not ask for a number. */
    @WithDefault("20")
    int defaultLimit();

    /** Upper bound on rows per query, whatever the caller asks. */
    @WithDefault("500")
    int maxLimit();

    /** How often open erasure requests are picked up (the promise to consumers is within one hour). */
    @WithDefault("60s")
    java.time.Duration erasurePoll();

    /**
     * How long an erasure waits after its delete for records that were already past a consumer's check
     * before its verifying recount: at least twice {@link #erasedRefresh()} plus an insert, so every instance
     * has reloaded the erased set.
     */
    @WithDefault("15s")
    java.time.Duration erasureSettle();

    /** How often each instance reloads the erased-pseudonym set written by the others. */
    @WithDefault("5s")
    java.time.Duration erasedRefresh();

    /** Whether the service applies the ClickHouse migrations under db/clickhouse at start-up. */
    @WithDefault("true")
    boolean migrateAtStart();
}
