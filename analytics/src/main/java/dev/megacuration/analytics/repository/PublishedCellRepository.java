package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.format.SpanId;
import dev.megacuration.privacy.tier.Bucket;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read path, with the disclosure rules inside the SQL so that nothing below k leaves ClickHouse.
 *
 * <p>Every published number is a sum of <em>pieces</em> from one fixed grid (see privacy/README.md and
 * {@code PieceGrid}, the model this SQL must agree with): a leaf (version, span, stale reason, hour) with at
 * least k distinct deployments; then, from what is left, a day's residual per reason; then, from what is
 * still left, a day's residual across reasons. Totals over versions, reasons, days, weeks and windows add
 * up published pieces only, so subtracting any two answers leaves a sum of pieces, each of which already
 * had k contributors. Only this class reads {@code span_reports} for queries.
 */
@ApplicationScoped
public class PublishedCellRepository {

    /** Binds: tenant, bundle, kind, start, end, version x2, span range (from, to exclusive), k x5. */
    private static final String PIECES = """
            WITH leaves AS (
                SELECT version, span_id, stale_reason AS reason, toStartOfHour(window_start) AS hour,
                       sum(expands) AS expands, sum(collapses) AS collapses, count() AS entries,
                       uniqExactState(deployment) AS devs, uniqExact(deployment) AS n
                FROM span_reports
                WHERE tenant = ? AND bundle = ? AND kind = ?
                  AND window_start >= toDateTime(?, 'UTC') AND window_start < toDateTime(?, 'UTC')
                  AND (? = '' OR version = ?) AND span_id >= toUInt64(?) AND span_id < toUInt64(?)
                GROUP BY version, span_id, reason, hour
            ),
            day_groups AS (
                -- Aliases differ from the leaves' columns: ClickHouse resolves an alias before a column.
                SELECT version, span_id, reason, toStartOfDay(hour) AS day,
                       sum(expands) AS day_expands, sum(collapses) AS day_collapses, sum(entries) AS day_entries,
                       uniqExactMergeState(devs) AS day_devs, uniqExactMerge(devs) AS day_n
                FROM leaves
                WHERE n < ?
                GROUP BY version, span_id, reason, day
            ),
            pieces AS (
                -- level 0: leaves; 1: a day's residual per reason; 2: a day's residual across reasons
                SELECT version, span_id, reason, hour AS at, 0 AS level,
                       expands, collapses, entries, devs, n >= ? AS published
                FROM leaves
                UNION ALL
                SELECT version, span_id, reason, day, 1, day_expands, day_collapses, day_entries, day_devs, day_n >= ?
                FROM day_groups
                UNION ALL
                SELECT version, span_id, '', day, 2, sum(day_expands), sum(day_collapses), sum(day_entries),
                       uniqExactMergeState(day_devs), uniqExactMerge(day_devs) >= ?
                FROM day_groups
                WHERE day_n < ?
                GROUP BY version, span_id, day
            )
            """;

    /** Binds after PIECES: tenant k, limit, offset. */
    private static final String TOP = PIECES + """
            SELECT span_id, %s AS reason,
                   sumIf(expands, published) AS expands, sumIf(collapses, published) AS collapses,
                   sumIf(entries, published) AS stale_reports, uniqExactMergeIf(devs, published) AS deployments,
                   count() OVER () AS total
            FROM pieces
            %s
            GROUP BY span_id, reason
            HAVING deployments >= ?
            ORDER BY %s DESC, span_id, reason
            LIMIT ? OFFSET ?""";

    /** Binds after PIECES: nothing; the caller judges each bucket against the tenant's k. */
    private static final String TREND = PIECES + """
            SELECT toUnixTimestamp(%s) AS bucket,
                   sumIf(expands, published) AS expands, sumIf(entries, published) AS stale_reports,
                   uniqExactMergeIf(devs, published) AS deployments
            FROM pieces
            %s
            GROUP BY bucket
            ORDER BY bucket""";

    /** Binds after PIECES: nothing; every span with any entry, its published sums (deployments 0: none published). */
    private static final String SPANS = PIECES + """
            SELECT span_id,
                   sumIf(expands, published) AS expands, sumIf(collapses, published) AS collapses,
                   sumIf(entries, published) AS entries, uniqExactMergeIf(devs, published) AS deployments
            FROM pieces
            GROUP BY span_id""";

    /** A span's published sums over the window; {@code deployments} is 0 when nothing could be published. */
    public record SpanCell(long expands, long collapses, long entries, long deployments) {
    }

    /** One page of a ranking and the number of published cells the ranking has in all. */
    public record Page(List<SpanStat> spans, long total) {
    }

    /** One bucket of a trend: published numbers (deployments is 0 when no piece was published). */
    public record BucketCell(long expands, long staleReports, long deployments) {
    }

    private final AgroalDataSource clickhouse;

    public PublishedCellRepository(@DataSource("clickhouse") AgroalDataSource clickhouse) {
        this.clickhouse = clickhouse;
    }

    /** Every span in [fromSpan, toSpan) that anybody reported on, with what can be published of it. */
    public Map<Long, SpanCell> spans(CellQuery query, long fromSpan, long toSpan, int platformK) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement statement = connection.prepareStatement(SPANS)) {
            bindPieces(statement, query, fromSpan, toSpan, platformK);
            Map<Long, SpanCell> cells = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    cells.put(Long.parseUnsignedLong(rows.getString("span_id")), new SpanCell(rows.getLong("expands"),
                            rows.getLong("collapses"), rows.getLong("entries"), rows.getLong("deployments")));
                }
            }
            return cells;
        }
    }

    public Page top(CellQuery query, int platformK, int tenantK, int limit, int offset) throws SQLException {
        // A per-reason ranking cannot use a piece that mixes reasons.
        String sql = TOP.formatted(query.byReason() ? "reason" : "''", query.byReason() ? "WHERE level < 2" : "",
                query.metric().orderColumn());
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bindPieces(statement, query, 0, -1L, platformK);
            statement.setInt(next++, tenantK);
            statement.setInt(next++, limit);
            statement.setInt(next, offset);
            List<SpanStat> spans = new ArrayList<>();
            long total = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long spanId = Long.parseUnsignedLong(rows.getString("span_id"));
                    boolean expands = query.metric() == CellQuery.Metric.EXPANDS;
                    String reason = rows.getString("reason");
                    spans.add(new SpanStat(spanId, SpanId.level(spanId), SpanId.index(spanId),
                            expands ? rows.getLong("expands") : 0, expands ? rows.getLong("collapses") : 0,
                            expands ? 0 : rows.getLong("stale_reports"), rows.getLong("deployments"),
                            reason == null || reason.isEmpty() ? null : reason));
                    total = rows.getLong("total");
                }
            }
            if (spans.isEmpty() && offset > 0) {
                // A page past the end has no row to carry the count: ask for the first row instead.
                return new Page(spans, top(query, platformK, tenantK, 1, 0).total());
            }
            return new Page(spans, total);
        }
    }

    /** Buckets of the window where anybody contributed, keyed by their start; absent buckets had nobody. */
    public Map<Instant, BucketCell> trend(CellQuery query, long spanId, Bucket bucket, int platformK)
            throws SQLException {
        String bucketExpression = switch (bucket) {
            case HOUR -> "at";
            case DAY -> "toStartOfDay(at)";
            case WEEK -> "toDateTime(toMonday(at), 'UTC')";
        };
        // An hour shows its own leaf only: a day's residual pieces belong to no single hour.
        String where = bucket == Bucket.HOUR ? "WHERE level = 0" : "";
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement statement = connection.prepareStatement(TREND.formatted(bucketExpression, where))) {
            bindPieces(statement, query, spanId, spanId + 1, platformK);
            Map<Instant, BucketCell> cells = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    cells.put(Instant.ofEpochSecond(rows.getLong("bucket")), new BucketCell(rows.getLong("expands"),
                            rows.getLong("stale_reports"), rows.getLong("deployments")));
                }
            }
            return cells;
        }
    }

    /** {@code toSpan} is exclusive and unsigned: -1 stands for the largest span id. */
    private static int bindPieces(PreparedStatement statement, CellQuery query, long fromSpan, long toSpan,
                                  int platformK) throws SQLException {
        String version = query.version() == null ? "" : query.version();
        int i = 1;
        statement.setString(i++, query.tenant());
        statement.setString(i++, query.bundle());
        statement.setString(i++, query.metric().kind());
        statement.setString(i++, ClickHouseTime.utc(query.window().start()));
        statement.setString(i++, ClickHouseTime.utc(query.window().endExclusive()));
        statement.setString(i++, version);
        statement.setString(i++, version);
        statement.setString(i++, Long.toUnsignedString(fromSpan));
        statement.setString(i++, Long.toUnsignedString(toSpan));
        for (int threshold = 0; threshold < 5; threshold++) {
            statement.setInt(i++, platformK);
        }
        return i;
    }
}
