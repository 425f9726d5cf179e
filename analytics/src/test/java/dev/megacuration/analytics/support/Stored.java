package dev.megacuration.analytics.support;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** Waits for the consumer (how many rows of a bundle ClickHouse holds) and for the open-day refresher. */
public final class Stored {
    private Stored() {
    }

    public static long rows(AgroalDataSource clickhouse, String tenant, String bundle) throws SQLException {
        return number(clickhouse, "SELECT count() FROM span_reports WHERE tenant = ? AND bundle = ?", tenant, bundle);
    }

    /** The one number a query answers, with string parameters. */
    public static long number(AgroalDataSource clickhouse, String sql, String... parameters) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    public static void await(AgroalDataSource clickhouse, String tenant, String bundle, long expected)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = rows(clickhouse, tenant, bundle);
            if (seen == expected) {
                awaitOpenDays(clickhouse, tenant, bundle, deadline);
                return;
            }
            if (seen > expected) {
                throw new AssertionError("ClickHouse holds " + seen + " rows of " + bundle + ", more than the "
                        + expected + " sent: something was counted twice");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("only " + seen + " of " + expected + " rows of " + bundle + " arrived");
    }

    /**
     * Waits until the stored pieces of the bundle's open days count every raw row of them, and a check of the
     * refresher says so (queries read those pieces, not the raw rows, while its last check is recent).
     */
    private static void awaitOpenDays(AgroalDataSource clickhouse, String tenant, String bundle, long deadline)
            throws SQLException, InterruptedException {
        String firstDay = "(SELECT first_day FROM open_day_sweeps ORDER BY checked_at DESC LIMIT 1)";
        while (System.nanoTime() < deadline) {
            long raw = number(clickhouse, "SELECT count() FROM span_reports WHERE tenant = ? AND bundle = ? "
                    + "AND toDate(window_start) >= " + firstDay, tenant, bundle);
            long stored = number(clickhouse, "SELECT sum(entries) FROM span_open_pieces WHERE tenant = ? AND bundle = ? "
                    + "AND level = 0 AND day >= " + firstDay, tenant, bundle);
            long checks = number(clickhouse, "SELECT count() FROM open_day_sweeps WHERE checked_at > now64(3) - 5");
            if (raw == stored && checks > 0) {
                awaitDirtyDaysSeen(clickhouse, tenant);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the open days of " + bundle + " were not refreshed in time");
    }

    /**
     * The service reads a tenant's dirty days (closed days with late reports) in the background, a value at
     * most two seconds old: waits until the newest mark is older than that, so every read since has it.
     */
    private static void awaitDirtyDaysSeen(AgroalDataSource clickhouse, String tenant) throws SQLException,
            InterruptedException {
        long age = number(clickhouse, "SELECT if(count() = 0, 1000000, dateDiff('millisecond', max(marked_at), "
                + "now64(3))) FROM rollup_dirty WHERE tenant = ?", tenant);
        if (age < 2_500) {
            Thread.sleep(2_500 - age);
        }
    }
}
