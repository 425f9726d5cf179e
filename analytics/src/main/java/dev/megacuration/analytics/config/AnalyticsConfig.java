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

    /** Whether the service applies the ClickHouse migrations under db/clickhouse at start-up. */
    @WithDefault("true")
    boolean migrateAtStart();
}
