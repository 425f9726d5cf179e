package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.UsageReportEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The write path: one report becomes one ClickHouse insert, deduplicated on the report id. */
@ApplicationScoped
public class SpanReportWriter {
    private static final String INSERT = """
            INSERT INTO span_reports
            (tenant, bundle, version, span_id, kind, expands, stale_reason, deployment, report_id,
             window_start, window_end, received_at)
            SETTINGS insert_deduplication_token = '%s'
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final AgroalDataSource clickhouse;

    public SpanReportWriter(@DataSource("clickhouse") AgroalDataSource clickhouse) {
        this.clickhouse = clickhouse;
    }

    public void write(UsageReportEvent report) throws SQLException {
        // The token is a parsed UUID, so formatting it into the statement cannot inject anything.
        String sql = INSERT.formatted(report.reportId().toString());
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            for (UsageReportEvent.Expand expand : report.expands()) {
                bind(insert, report, expand.spanId(), "expand", expand.count(), "");
            }
            for (UsageReportEvent.Stale stale : report.stale()) {
                bind(insert, report, stale.spanId(), "stale", 0, stale.reason());
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, UsageReportEvent report, long spanId, String kind,
                             int expands, String reason) throws SQLException {
        insert.setString(1, report.tenant());
        insert.setString(2, report.bundle());
        insert.setString(3, report.version());
        insert.setString(4, Long.toUnsignedString(spanId));
        insert.setString(5, kind);
        insert.setLong(6, expands);
        insert.setString(7, reason);
        insert.setString(8, report.deployment());
        insert.setObject(9, report.reportId());
        insert.setTimestamp(10, utc(report.windowStart()));
        insert.setTimestamp(11, utc(report.windowEnd()));
        insert.setTimestamp(12, utc(report.receivedAt()));
        insert.addBatch();
    }

    private static Timestamp utc(Instant instant) {
        return Timestamp.from(instant);
    }
}
