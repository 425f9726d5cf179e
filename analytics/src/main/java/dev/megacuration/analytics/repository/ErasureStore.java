package dev.megacuration.analytics.repository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** ClickHouse's side of erasure: the erased-pseudonym set, and removing their rows. */
@ApplicationScoped
public class ErasureStore {
    private final AgroalDataSource clickhouse;
    private final MaintenanceTarget target;

    public ErasureStore(@DataSource("clickhouse") AgroalDataSource clickhouse,
                        dev.megacuration.analytics.config.AnalyticsConfig config) {
        this.clickhouse = clickhouse;
        this.target = new MaintenanceTarget(config.cluster());
    }

    public void markErased(String tenant, List<String> pseudonyms) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO erased_deployments (tenant, deployment) VALUES (?, ?)")) {
            for (String pseudonym : pseudonyms) {
                insert.setString(1, tenant);
                insert.setString(2, pseudonym);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Every erased pseudonym as "tenant/pseudonym". */
    public Set<String> erased() throws SQLException {
        Set<String> erased = new HashSet<>();
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT tenant, deployment FROM erased_deployments");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                erased.add(key(rows.getString(1), rows.getString(2)));
            }
        }
        return erased;
    }

    public long rowsOf(String tenant, List<String> pseudonyms) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count() FROM span_reports WHERE tenant = ? AND has(?, deployment)")) {
            query.setString(1, tenant);
            query.setArray(2, connection.createArrayOf("String", pseudonyms.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The months in which these pseudonyms have rows: the stored aggregates to rebuild after the delete. */
    public java.util.Set<java.time.YearMonth> monthsOf(String tenant, List<String> pseudonyms) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT DISTINCT toString(toStartOfMonth("
                     + "window_start)) FROM span_reports WHERE tenant = ? AND has(?, deployment)")) {
            query.setString(1, tenant);
            query.setArray(2, connection.createArrayOf("String", pseudonyms.toArray()));
            java.util.Set<java.time.YearMonth> months = new java.util.TreeSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    months.add(java.time.YearMonth.from(java.time.LocalDate.parse(rows.getString(1))));
                }
            }
            return months;
        }
    }

    /**
     * Removes the rows for good: a mutation that rewrites the affected parts, waited for, rather than a
     * lightweight delete that only masks them until a merge.
     */
    public void deleteRows(String tenant, List<String> pseudonyms) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "ALTER TABLE " + target.table("span_reports") + " DELETE WHERE tenant = ? AND has(?, deployment) "
                             + "SETTINGS mutations_sync = 2")) {
            delete.setString(1, tenant);
            delete.setArray(2, connection.createArrayOf("String", pseudonyms.toArray()));
            delete.execute();
        }
    }

    public static String key(String tenant, String pseudonym) {
        return tenant + "/" + pseudonym;
    }
}
