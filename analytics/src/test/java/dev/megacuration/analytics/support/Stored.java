package dev.megacuration.analytics.support;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** Waits for the consumer: how many rows of a bundle ClickHouse holds. */
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
}
