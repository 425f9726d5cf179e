package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.UsageReportEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The write path: a batch of reports becomes one ClickHouse insert, minus every report whose id is stored
 * already. A report's rows share one window, so they land in one partition and one part: a crash between
 * parts leaves whole reports stored or not, and the replayed batch stores exactly the missing ones.
 */
@ApplicationScoped
public class SpanReportWriter {
    // One block per partition: a report's rows must never be split between two inserted parts.
    private static final String INSERT = """
            INSERT INTO span_reports
            (tenant, bundle, version, span_id, kind, expands, collapses, residency, swap_rate, delta_nll,
             delta_nll_horizon, last_access_step, access_count, stale_reason, deployment, report_id,
             window_start, window_end, received_at, retention_days)
            SETTINGS max_insert_block_size = 1000000000, min_insert_block_size_rows = 0,
                     min_insert_block_size_bytes = 0
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, toDateTime(?, 'UTC'), toDateTime(?, 'UTC'),
                    toDateTime(?, 'UTC'), ?)""";

    private final AgroalDataSource clickhouse;
    private final RollupRepository rollups;
    private final java.time.Duration lateness;

    public SpanReportWriter(@DataSource("clickhouse") AgroalDataSource clickhouse, RollupRepository rollups,
                            dev.megacuration.analytics.config.AnalyticsConfig config) {
        this.clickhouse = clickhouse;
        this.rollups = rollups;
        this.lateness = config.rollup().lateness();
    }

    /** Stores the reports not stored before, each with its tenant's retention; returns how many it stored. */
    public List<UsageReportEvent> writeNew(List<UsageReportEvent> reports, Map<String, Integer> retentionDays)
            throws SQLException {
        if (reports.isEmpty()) {
            return List.of();
        }
        try (Connection connection = clickhouse.getConnection()) {
            Set<UUID> stored = alreadyStored(connection, reports);
            List<UsageReportEvent> fresh = reports.stream().filter(r -> !stored.contains(r.reportId())).toList();
            if (fresh.isEmpty()) {
                return fresh;
            }
            // Before the rows: a day already closed must be read raw until it is rebuilt with them.
            rollups.markDirty(lateDays(fresh));
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (UsageReportEvent report : fresh) {
                    int retention = retentionDays.getOrDefault(report.tenant(), 1095);
                    for (UsageReportEvent.Span span : report.spanEntries()) {
                        bind(insert, report, span.spanId(), "expand", span, "", retention);
                    }
                    for (UsageReportEvent.Stale stale : report.staleEntries()) {
                        bind(insert, report, stale.spanId(), "stale", null, stale.reason(), retention);
                    }
                }
                insert.executeBatch();
            }
            return fresh;
        }
    }

    private Map<String, Set<java.time.LocalDate>> lateDays(List<UsageReportEvent> reports) {
        java.time.Instant now = java.time.Instant.now();
        Map<String, Set<java.time.LocalDate>> days = new java.util.HashMap<>();
        for (UsageReportEvent report : reports) {
            java.time.LocalDate day = java.time.LocalDate.ofInstant(report.windowStart(), java.time.ZoneOffset.UTC);
            if (RollupRepository.mayBeClosed(day, now, lateness)) {
                days.computeIfAbsent(report.tenant(), tenant -> new java.util.TreeSet<>()).add(day);
            }
        }
        return days;
    }

    /** Which of these report ids have rows already, at any time in the past. */
    private static Set<UUID> alreadyStored(Connection connection, List<UsageReportEvent> reports) throws SQLException {
        Set<String> tenants = new LinkedHashSet<>();
        Set<String> bundles = new LinkedHashSet<>();
        reports.forEach(report -> {
            tenants.add(report.tenant());
            bundles.add(report.bundle());
        });
        // Report ids are parsed UUIDs, so writing them into the statement cannot inject anything.
        String ids = reports.stream().map(report -> "'" + report.reportId() + "'").collect(Collectors.joining(","));
        String sql = "SELECT DISTINCT report_id FROM span_reports WHERE tenant IN (" + placeholders(tenants.size())
                + ") AND bundle IN (" + placeholders(bundles.size()) + ") AND report_id IN (" + ids + ")";
        Set<UUID> stored = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            for (String tenant : tenants) {
                query.setString(i++, tenant);
            }
            for (String bundle : bundles) {
                query.setString(i++, bundle);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(UUID.fromString(rows.getString(1)));
                }
            }
        }
        return stored;
    }

    private static String placeholders(int count) {
        List<String> marks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            marks.add("?");
        }
        return String.join(",", marks);
    }

    private static void bind(PreparedStatement insert, UsageReportEvent report, long spanId, String kind,
                             UsageReportEvent.Span span, String reason, int retentionDays) throws SQLException {
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
        insert.setString(17, ClickHouseTime.utc(report.windowStart()));
        insert.setString(18, ClickHouseTime.utc(report.windowEnd()));
        insert.setString(19, ClickHouseTime.utc(report.receivedAt()));
        insert.setInt(20, retentionDays);
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
