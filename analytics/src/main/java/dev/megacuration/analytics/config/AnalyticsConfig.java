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

    /**
     * The ClickHouse cluster name when analytics runs against the cluster schema of
     * deploy/clickhouse-cluster/: mutations, TRUNCATE and REPLACE PARTITION then go to the local tables
     * ON CLUSTER. Unset on a single node.
     */
    java.util.Optional<String> cluster();

    /** Stored aggregates of closed days (see V005__published_pieces.sql). */
    Rollup rollup();

    interface Rollup {
        /**
         * How long after a UTC day ends its reports are still expected: the day is then closed and its
         * pieces stored. A report that arrives later marks its day dirty until the next rebuild.
         */
        @WithDefault("6h")
        java.time.Duration lateness();

        /** How often the builder closes days and rebuilds dirty months. */
        @WithDefault("30s")
        java.time.Duration poll();

        /**
         * How old a dirty mark must be before a rebuild may settle it: longer than the consumer takes from
         * writing a mark to inserting the rows it announces.
         */
        @WithDefault("60s")
        java.time.Duration settle();

        /**
         * The lengths in days of the standard windows (ending today) whose closed days the builder sums per
         * span when a day closes (V010__span_windows.sql): the default window and the pro tier's year.
         */
        @WithDefault("30,365")
        java.util.List<Integer> windows();

        /** Whether this instance runs the builder; exactly one instance of a deployment should. */
        @WithDefault("true")
        boolean builder();

        /**
         * Whether this instance keeps the stored pieces of open days current (V008__open_day_pieces.sql);
         * exactly one instance of a deployment should, as a rule the builder's.
         */
        @WithDefault("true")
        boolean openDays();

        /**
         * How often the refresher looks for rows inserted since its last check (and adds them to the stored
         * pieces of open days); a look that finds no new insert block costs one read of system.parts.
         */
        @WithDefault("250ms")
        java.time.Duration openPoll();

        /**
         * How old the refresher's last check may be for queries to read the stored pieces of open days; older
         * (the refresher stopped or lags), they cut the raw rows. Reports shown lag at most this much.
         */
        @WithDefault("10s")
        java.time.Duration openTrust();
    }
}
