package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.format.SpanId;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The read path. The privacy threshold is part of every query (HAVING), so a cell under k distinct
 * deployments never leaves ClickHouse.
 */
@ApplicationScoped
public class SpanStatsRepository {
    /** Which totals a query ranks by. */
    public enum Metric {
        EXPANDS("expand", "expands"),
        STALE("stale", "stale_reports");

        private final String kind;
        private final String orderColumn;

        Metric(String kind, String orderColumn) {
            this.kind = kind;
            this.orderColumn = orderColumn;
        }
    }

    private static final String TOP = """
            SELECT span_id,
                   sum(expands) AS expands,
                   count() AS stale_reports,
                   uniqExact(deployment) AS deployments
            FROM span_reports
            WHERE tenant = ? AND bundle = ? AND (? = '' OR version = ?) AND kind = ?
            GROUP BY span_id
            HAVING deployments >= ?
            ORDER BY %s DESC, span_id
            LIMIT ?""";

    private final AgroalDataSource clickhouse;

    public SpanStatsRepository(@DataSource("clickhouse") AgroalDataSource clickhouse) {
        this.clickhouse = clickhouse;
    }

    public List<SpanStat> top(String tenant, String bundle, String version, Metric metric, int minDeployments,
                              int limit) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(TOP.formatted(metric.orderColumn))) {
            String versionFilter = version == null ? "" : version;
            query.setString(1, tenant);
            query.setString(2, bundle);
            query.setString(3, versionFilter);
            query.setString(4, versionFilter);
            query.setString(5, metric.kind);
            query.setInt(6, minDeployments);
            query.setInt(7, limit);
            List<SpanStat> stats = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long spanId = Long.parseUnsignedLong(rows.getString("span_id"));
                    boolean expand = metric == Metric.EXPANDS;
                    stats.add(new SpanStat(spanId, SpanId.level(spanId), SpanId.index(spanId),
                            expand ? rows.getLong("expands") : 0, expand ? 0 : rows.getLong("stale_reports"),
                            rows.getLong("deployments")));
                }
            }
            return stats;
        }
    }
}
