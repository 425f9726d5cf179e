package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.UsageReportEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** The write path: one report becomes one ClickHouse insert, deduplicated on the report id. */
@ApplicationScoped
public class SpanReportWriter {
    private static final String INSERT = """
            INSERT INTO span_reports
            (tenant, bundle, version, span_id, kind, expands, collapses, residency, swap_rate, delta_nll,
             delta_nll_horizon, last_access_step, access_count, stale_reason, deployment, report_id,
             window_start, window_end, received_at)
            SETTINGS insert_deduplication_token = '%s'
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final AgroalDataSource clickhouse;

    public SpanReportWriter(@DataSource("clickhouse") AgroalDataSource clickhouse) {
        this.clickhouse = clickhouse;
    }

    public void write(UsageReportEvent report) throws SQLException {
        // The token is a parsed UUID, so formatting it into the statement cannot inject anything.
        String sql = INSERT.formatted(report.reportId().toString());
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            for (UsageReportEvent.Span span : report.spanEntries()) {
                bind(insert, report, span.spanId(), "expand", span, "");
            }
            for (UsageReportEvent.Stale stale : report.staleEntries()) {
                bind(insert, report, stale.spanId(), "stale", null, stale.reason());
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, UsageReportEvent report, long spanId, String kind,
                             UsageReportEvent.Span span, String reason) throws SQLException {
        insert.setString(1, report.tenant());
        insert.setString(2, report.bundle());
        insert.setString(3, report.version());
        insert.setString(4, Long.toUnsignedString(spanId));
        insert.setString(5, kind);
        insert.setLong(6, span == null ? 0 : span.expands());
        insert.setLong(7, span == null ? 0 : span.collapses());
        nullable(insert, 8, span == null ? null : span.residency(), Types.FLOAT);
        nullable(insert, 9, span == null ? null : span.swapRate(), Types.FLOAT);
        nullable(insert, 10, span == null ? null : span.deltaNll(), Types.FLOAT);
        nullable(insert, 11, span == null ? null : span.deltaNllHorizon(), Types.INTEGER);
        nullable(insert, 12, span == null ? null : span.lastAccessStep(), Types.BIGINT);
        nullable(insert, 13, span == null ? null : span.accessCount(), Types.BIGINT);
        insert.setString(14, reason);
        insert.setString(15, report.deployment());
        insert.setObject(16, report.reportId());
        insert.setTimestamp(17, Timestamp.from(report.windowStart()));
        insert.setTimestamp(18, Timestamp.from(report.windowEnd()));
        insert.setTimestamp(19, Timestamp.from(report.receivedAt()));
        insert.addBatch();
    }

    private static void nullable(PreparedStatement insert, int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            insert.setNull(index, sqlType);
        } else {
            insert.setObject(index, value);
        }
    }
}
