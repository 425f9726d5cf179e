package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.DeltaNll;
import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.format.SpanId;
import dev.megacuration.privacy.tier.Bucket;
import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.jdbc.ConnectionImpl;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
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
 * had k contributors.
 *
 * <p>The pieces of closed days are stored (span_pieces, summed per day and month by views); open and dirty
 * days are cut from the raw rows by the same SQL ({@link PieceSql}) at query time. {@link DaySources} says
 * which day comes from where. Only this class reads these tables for queries.
 */
@ApplicationScoped
public class PublishedCellRepository {
    /** The sums a ranking row carries (see {@link #spanStat}). */
    private static final String SUMS = "sum(expands) AS s_expands, sum(collapses) AS s_collapses, "
            + "sum(entries) AS s_entries";

    /** The allocator's statistics columns of span_pieces and its sums (and of the live pieces that carry them). */
    private static final String STAT_COLUMNS = ", residency_sum, residency_n, swap_sum, swap_n, nll";

    /** The last day seen of a ranking row, read where its deployments are counted (see {@link Stats}). */
    private static final String LAST_SEEN = ", toString(max(last_seen)) AS p_last";

    /** The allocator's statistics of an expand ranking row and its last day seen (see {@link Stats}). */
    private static final String STATS = ", sum(residency_sum) AS p_res_sum, sum(residency_n) AS p_res_n, "
            + "sum(swap_sum) AS p_swap_sum, sum(swap_n) AS p_swap_n, quantilesTDigestMerge(0.5, 0.9)(nll) AS p_nll"
            + LAST_SEEN;

    /**
     * What a ranking row reads with its deployments: expand rows carry the allocator's statistics, stale rows
     * only their last day seen (stale reports measure nothing else), so a stale ranking merges no t-digest.
     */
    private static String rowStats(CellQuery query) {
        return measured(query) ? STATS : LAST_SEEN;
    }

    private static boolean measured(CellQuery query) {
        return query.metric() == CellQuery.Metric.EXPANDS;
    }

    /**
     * A span's published sums over the window; {@code deployments} is 0 when nothing could be published. The
     * allocator's statistics come from the same published pieces (null where none measured them):
     * residency and swap rate averages, the median and 90th percentile of ΔNLL, and the last day seen.
     */
    public record SpanCell(long expands, long collapses, long entries, long deployments, Stats stats) {
    }

    /**
     * Averages and quantiles over published pieces, rounded to what they mean (they are t-digest estimates);
     * only the last day seen where a statement reads no measurements (stale reports measure nothing else).
     */
    public record Stats(Double residency, Double swapRate, DeltaNll deltaNll, java.time.LocalDate lastSeen) {
        static Stats of(ClickHouseBinaryFormatReader rows, boolean measured) {
            java.time.LocalDate lastSeen = rows.getLong("deployments") == 0 ? null
                    : java.time.LocalDate.parse(rows.getString("p_last"));
            if (!measured) {
                return new Stats(null, null, null, lastSeen);
            }
            double[] quantiles = toDoubles(rows.getList("p_nll"));
            Double p50 = quantile(quantiles, 0);
            return new Stats(ratio(rows.getDouble("p_res_sum"), rows.getLong("p_res_n")),
                    ratio(rows.getDouble("p_swap_sum"), rows.getLong("p_swap_n")),
                    p50 == null ? null : new DeltaNll(p50, quantile(quantiles, 1)), lastSeen);
        }

        private static Double ratio(double sum, long count) {
            return count == 0 ? null : Math.round(sum / count * 10_000) / 10_000.0;
        }

        private static Double quantile(double[] quantiles, int i) {
            return quantiles == null || quantiles.length <= i || Double.isNaN(quantiles[i]) ? null
                    : Math.round(quantiles[i] * 1_000) / 1_000.0;
        }

        private static double[] toDoubles(List<?> list) {
            if (list == null) {
                return null;
            }
            double[] values = new double[list.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((Number) list.get(i)).doubleValue();
            }
            return values;
        }
    }

    /** One page of a ranking and the number of published cells the ranking has in all. */
    public record Page(List<SpanStat> spans, long total) {
    }

    /** One bucket of a trend: published numbers (deployments is 0 when no piece was published). */
    public record BucketCell(long expands, long staleReports, long deployments) {
    }

    private final javax.sql.DataSource clickhouse;
    private final RollupRepository rollups;
    private final OpenDayRepository openDays;
    private final WindowRepository windows;
    private final java.time.Duration openTrust;

    @jakarta.inject.Inject
    public PublishedCellRepository(@DataSource("clickhouse") AgroalDataSource clickhouse, RollupRepository rollups,
                                   OpenDayRepository openDays, WindowRepository windows,
                                   dev.megacuration.analytics.config.AnalyticsConfig config) {
        this((javax.sql.DataSource) clickhouse, rollups, openDays, windows, config.rollup().openTrust());
    }

    /** For the benchmark, which runs without CDI. */
    public PublishedCellRepository(javax.sql.DataSource clickhouse, RollupRepository rollups, OpenDayRepository openDays,
                                   WindowRepository windows, java.time.Duration openTrust) {
        this.clickhouse = clickhouse;
        this.rollups = rollups;
        this.openDays = openDays;
        this.windows = windows;
        this.openTrust = openTrust;
    }

    /**
     * Where each day of the query's window is read from. Four lookups decide it, each kept for a while and read
     * again in the background (see {@link #recent}), so that no request waits for them. They differ in what an
     * old value costs:
     * <ul>
     *   <li>an old watermark only means reading raw rows for a day that was closed meanwhile (same numbers);
     *       an old set of built windows only means summing a window's days instead of reading its sums. Both
     *       change once a day, when the builder closes one, so they are read every ten seconds;</li>
     *   <li>an old set of dirty days reads a day's stored pieces without the late reports that made it dirty
     *       (published pieces all the same, only older): read every second, so a report about a long-closed
     *       day shows up to two seconds later, as one about today does (its group is cut again about once a
     *       second). Read by the request, this lookup cost 7-15 ms of one request per tenant and second,
     *       enough to set a ranking's p95;</li>
     *   <li>the refresher's last check, every second too: its own age decides whether the open days' stored
     *       pieces are read (see {@link #openStoredFrom}).</li>
     * </ul>
     * A stale watermark never meets a window that is gone: the builder drops a window two days after the one
     * that replaces it.
     */
    public DaySources sources(CellQuery query, int platformK) throws SQLException {
        java.util.Optional<java.time.LocalDate> open = watermark(platformK);
        java.util.Set<java.time.LocalDate> tenantDirty = recent("dirty/" + query.tenant(), platformK, RECENT,
                () -> rollups.dirtyDays(query.tenant()));
        java.util.Optional<OpenDayRepository.Sweep> sweep = recent("sweep", platformK, RECENT, openDays::lastSweep);
        java.util.Set<dev.megacuration.analytics.mapping.Window> built = recent("windows", platformK, DAILY,
                () -> windows.built(platformK));
        return DaySources.plan(query.window(), open, tenantDirty, openStoredFrom(sweep, platformK)).withWindow(built);
    }

    /**
     * The closed-day watermark (the first day the builder has not closed) as queries use it: kept ten seconds,
     * see {@link #sources}. The open-day refresher starts its checks from the same value, so the service reads
     * it once for both.
     */
    public java.util.Optional<java.time.LocalDate> watermark(int platformK) throws SQLException {
        return recent("watermark", platformK, DAILY, () -> rollups.firstOpenDay(platformK));
    }

    /**
     * The first open day whose stored pieces a query reads: the refresher's last check found every group from
     * there on current, at this k, at most {@code openTrust} ago; none when it is older (the refresher stopped
     * or lags: the raw rows are cut instead).
     */
    private java.util.Optional<java.time.LocalDate> openStoredFrom(java.util.Optional<OpenDayRepository.Sweep> sweep,
                                                                  int platformK) {
        return sweep.filter(last -> last.k() == platformK)
                .filter(last -> !last.checkedAt().plus(openTrust).isBefore(java.time.Instant.now()))
                .map(OpenDayRepository.Sweep::firstDay);
    }

    /** How long the lookups that follow reports are kept (dirty days, the refresher's last check). */
    private static final long RECENT = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** How long the lookups that change when a day closes are kept (the watermark, the built windows). */
    private static final long DAILY = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /** A value read from ClickHouse at {@code at} (nanoTime of the read's start), for threshold {@code k}. */
    private record Recent<T>(int k, long at, T value) {
        Recent<T> newer(Recent<T> other) {
            return other.at() - at > 0 ? other : this;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T read() throws SQLException;
    }

    /** The values read so far, by key: the watermark, each tenant's dirty days, the last check, the windows. */
    private final Map<String, Recent<?>> held = new java.util.concurrent.ConcurrentHashMap<>();
    /** Keys being read again in the background, at most one read per key at a time. */
    private final java.util.Set<String> refreshing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.Executor refresher = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "day-sources-refresh");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * A value younger than {@code fresh} is used as it is; one up to twice as old is used too while one
     * background read replaces it, so that under steady traffic no request waits for the lookup (these
     * lookups were 7-30 ms of every request that did, enough to be a ranking's p95). Otherwise (older,
     * missing, read at another k) it is read now. Of two reads, the one that started last is kept.
     */
    @SuppressWarnings("unchecked")
    private <T> T recent(String key, int k, long fresh, Read<T> reader) throws SQLException {
        long now = System.nanoTime();
        Recent<T> last = (Recent<T>) held.get(key);
        if (last != null && last.k() == k && now - last.at() <= 2 * fresh) {
            if (now - last.at() > fresh && refreshing.add(key)) {
                refresher.execute(() -> {
                    try {
                        long started = System.nanoTime();
                        keep(key, new Recent<>(k, started, reader.read()));
                    } catch (SQLException | RuntimeException e) {
                        // The next request past twice its freshness reads it itself, and reports the failure.
                    } finally {
                        refreshing.remove(key);
                    }
                });
            }
            return last.value();
        }
        Recent<T> read = new Recent<>(k, now, reader.read());
        keep(key, read);
        return read.value();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void keep(String key, Recent<?> read) {
        held.merge(key, read, (older, newer) -> ((Recent) older).newer(newer));
    }

    /**
     * Every span in [fromSpan, toSpan) that anybody reported on, with what can be published of it and what the
     * reports measured (the curation feed's expand cells).
     */
    public Map<Long, SpanCell> spans(CellQuery query, long fromSpan, long toSpan, int platformK) throws SQLException {
        return spans(query, fromSpan, toSpan, platformK, sources(query, platformK));
    }

    /** As above, reading each day from where {@code days} says (tests and the benchmark compare sources). */
    public Map<Long, SpanCell> spans(CellQuery query, long fromSpan, long toSpan, int platformK, DaySources days)
            throws SQLException {
        return spans(query, fromSpan, toSpan, platformK, days, true);
    }

    /**
     * As {@link #spans(CellQuery, long, long, int)} without the measurements (only the last day seen): for
     * answers that show none (coverage, version comparison, stale cells), which then cut no t-digest per leaf.
     */
    public Map<Long, SpanCell> spanCounts(CellQuery query, long fromSpan, long toSpan, int platformK)
            throws SQLException {
        return spans(query, fromSpan, toSpan, platformK, sources(query, platformK), false);
    }

    private Map<Long, SpanCell> spans(CellQuery query, long fromSpan, long toSpan, int platformK, DaySources days,
                                      boolean measured) throws SQLException {
        String columns = measured ? STAT_COLUMNS : "";
        Statement sql = live(query, days, fromSpan, toSpan, platformK, "", measured);
        sql.text("""
                SELECT span_id, sumIf(expands, published) AS p_expands, sumIf(collapses, published) AS p_collapses,
                       sumIf(entries, published) AS p_entries, uniqCombined64MergeIf(12)(devs, published) AS deployments,
                       toString(maxIf(day, published)) AS p_last""");
        sql.text(!measured ? "" : """
                , sumIf(residency_sum, published) AS p_res_sum, sumIf(residency_n, published) AS p_res_n,
                       sumIf(swap_sum, published) AS p_swap_sum, sumIf(swap_n, published) AS p_swap_n,
                       quantilesTDigestMergeIf(0.5, 0.9)(nll, published) AS p_nll""");
        sql.text(" FROM (");
        if (!days.allStored().isEmpty()) {
            sql.text("SELECT span_id, day, expands, collapses, entries, devs" + columns + ", published FROM span_pieces WHERE");
            scope(sql, query, fromSpan, toSpan).text(" AND " + DaySources.condition("day", days.allStored(), false)
                    + " UNION ALL ");
        }
        sql.text("SELECT span_id, day, expands, collapses, entries, devs" + columns + ", published").pieces("1")
                .text(") GROUP BY span_id");
        Map<Long, SpanCell> cells = new LinkedHashMap<>();
        sql.query(clickhouse, rows -> cells.put(Long.parseUnsignedLong(rows.getString("span_id")), new SpanCell(
                rows.getLong("p_expands"), rows.getLong("p_collapses"), rows.getLong("p_entries"),
                rows.getLong("deployments"), Stats.of(rows, measured))));
        return cells;
    }

    /**
     * A page of the ranking: published sums per span (and reason) from the monthly and daily sums and the
     * pieces of unclosed days, then the page's distinct deployments (see {@link #pageDeployments}). When the tenant's k
     * is above the platform's, every span's deployments are counted in the ranking itself, to leave out
     * spans under the tenant's k.
     */
    public Page top(CellQuery query, int platformK, int tenantK, int limit, int offset) throws SQLException {
        return top(query, platformK, tenantK, limit, offset, sources(query, platformK));
    }

    /** As above, reading each day from where {@code days} says. */
    public Page top(CellQuery query, int platformK, int tenantK, int limit, int offset, DaySources days)
            throws SQLException {
        // A per-reason ranking cannot use a piece that mixes reasons.
        String reason = query.byReason() ? "reason" : "''";
        String crossReason = query.byReason() ? " WHERE NOT cross_reason" : "";
        String order = (measured(query) ? "s_expands" : "s_entries") + " DESC, span_id, r";
        Statement sql = live(query, days, query.fromSpan(), query.toSpan(), platformK, "",
                tenantK > platformK && measured(query));
        if (tenantK > platformK) {
            // Every published piece has the platform's k; a higher tenant k can leave a span out, so every
            // span's deployments are counted before ranking.
            sql.text(" SELECT span_id, " + reason + " AS r, " + SUMS + ", uniqCombined64Merge(12)(devs) AS deployments"
                    + rowStats(query) + ", count() OVER () AS total FROM (");
            publishedSums(sql, query, days, true, "");
            sql.text(")" + crossReason + " GROUP BY span_id, r HAVING deployments >= ?").bind(tenantK);
            sql.text(" ORDER BY " + order + " LIMIT ? OFFSET ?").bind(limit).bind(offset);
        } else {
            // Sums rank every span; distinct deployments, the costly part, are counted for the page only
            // (see pageDeployments).
            sql.text(" SELECT span_id, " + reason + " AS r, " + SUMS + ", 0 AS deployments, count() OVER () AS total "
                    + "FROM (");
            publishedSums(sql, query, days, false, "");
            sql.text(")" + crossReason + " GROUP BY span_id, r ORDER BY " + order + " LIMIT ? OFFSET ?")
                    .bind(limit).bind(offset);
        }
        List<SpanStat> spans = new ArrayList<>();
        long[] total = {0};
        sql.query(clickhouse, rows -> {
            spans.add(spanStat(rows, query.metric(), tenantK > platformK));
            total[0] = rows.getLong("total");
        });
        if (spans.isEmpty() && offset > 0) {
            // A page past the end has no row to carry the count: ask for the first row instead.
            return new Page(spans, top(query, platformK, tenantK, 1, 0, days).total());
        }
        return new Page(tenantK > platformK ? spans : pageDeployments(query, days, platformK, spans), total[0]);
    }

    /**
     * The distinct deployments of a page's spans, with their sums again from the same statement (so that the
     * numbers shown for a span are one snapshot even while reports arrive; the ranking may be a moment
     * older): their stored rows and their live pieces only, so the open days' raw rows are cut into pieces
     * again for these spans alone.
     */
    private List<SpanStat> pageDeployments(CellQuery query, DaySources days, int platformK, List<SpanStat> page)
            throws SQLException {
        if (page.isEmpty()) {
            return page;
        }
        String ids = page.stream().map(span -> Long.toUnsignedString(span.spanId())).distinct()
                .collect(java.util.stream.Collectors.joining(","));
        String inPage = " AND span_id IN (" + ids + ")";
        Statement sql = live(query, days, query.fromSpan(), query.toSpan(), platformK, inPage, measured(query));
        sql.text(" SELECT span_id, " + (query.byReason() ? "reason" : "''") + " AS r, " + SUMS
                + ", uniqCombined64Merge(12)(devs) AS deployments" + rowStats(query) + " FROM (");
        publishedSums(sql, query, days, true, inPage);
        sql.text(")" + (query.byReason() ? " WHERE NOT cross_reason" : "") + " GROUP BY span_id, r");
        Map<String, SpanStat> counted = new java.util.HashMap<>();
        sql.query(clickhouse, rows -> counted.put(rows.getString("span_id") + "/" + rows.getString("r"),
                spanStat(rows, query.metric(), true)));
        return page.stream().map(span -> counted.getOrDefault(Long.toUnsignedString(span.spanId()) + "/"
                + (span.reason() == null ? "" : span.reason()), span)).toList();
    }

    /**
     * The published sums of the window, one row per (span, version, reason, cross-reason) and source:
     * monthly sums for whole months, daily sums for other closed days, live pieces for the rest; each stored
     * source narrowed by {@code spanFilter} (empty, or a condition starting with " AND"), the live pieces by
     * {@link #live}, which the statement was started with and given the same filter. With
     * {@code withDevs}, the rows also carry their deployments, last day seen and, for expand rows, the
     * allocator's statistics (the live pieces have them only then, see {@link #live}).
     */
    private static void publishedSums(Statement sql, CellQuery query, DaySources days, boolean withDevs,
                                      String spanFilter) {
        String columns = "span_id, reason, cross_reason, expands, collapses, entries" + (!withDevs ? ""
                : ", devs" + (measured(query) ? STAT_COLUMNS : "") + ", last_seen");
        // Deployment states are read from the copies in span order (V009): a page's rows are contiguous there.
        String order = withDevs ? "_by_span" : "";
        // A source with no day of the window is left out: reading a table costs 4-8 ms even for no rows.
        String union = "";
        if (days.window().isPresent()) {
            // The window's closed days summed per span once (V010): one row per span instead of one per day.
            sql.text("SELECT " + columns + " FROM span_windows WHERE");
            scope(sql, query, query.fromSpan(), query.toSpan()).text(" AND from_day = '" + days.window().get().from()
                    + "' AND to_day = '" + days.window().get().to() + "'" + spanFilter);
            union = " UNION ALL ";
        }
        if (days.window().isEmpty() && !days.months().isEmpty()) {
            sql.text("SELECT " + columns + " FROM span_monthly" + order + " WHERE");
            scope(sql, query, query.fromSpan(), query.toSpan())
                    .text(" AND " + DaySources.condition("month", days.months(), false) + spanFilter);
            union = " UNION ALL ";
        }
        if (days.window().isEmpty() && !days.storedDays().isEmpty()) {
            sql.text(union + "SELECT " + columns.replace("last_seen", "day AS last_seen") + " FROM span_daily" + order
                    + " WHERE");
            scope(sql, query, query.fromSpan(), query.toSpan())
                    .text(" AND " + DaySources.condition("day", days.storedDays(), false) + spanFilter);
            union = " UNION ALL ";
        }
        if (union.isEmpty() || !days.live().isEmpty() || !days.openStored().isEmpty()) {
            sql.text(union + "SELECT " + columns.replace("cross_reason", "level = 2 AS cross_reason")
                    .replace("last_seen", "day AS last_seen")).pieces("published");
        }
    }

    /**
     * A ranking row (span_id, r, s_expands, s_collapses, s_entries, deployments, and with {@code withStats} the
     * columns of {@link #rowStats}) as the API's span. Stale rankings carry only the last day seen: stale
     * reports measure nothing else.
     */
    private static SpanStat spanStat(ClickHouseBinaryFormatReader rows, CellQuery.Metric metric, boolean withStats) {
        long spanId = Long.parseUnsignedLong(rows.getString("span_id"));
        String r = rows.getString("r");
        boolean expands = metric == CellQuery.Metric.EXPANDS;
        Stats stats = !withStats ? new Stats(null, null, null, null) : Stats.of(rows, expands);
        return new SpanStat(spanId, SpanId.level(spanId), SpanId.index(spanId),
                expands ? rows.getLong("s_expands") : 0, expands ? rows.getLong("s_collapses") : 0,
                expands ? 0 : rows.getLong("s_entries"), rows.getLong("deployments"), r == null || r.isEmpty() ? null : r,
                stats.residency(), stats.swapRate(), stats.deltaNll(), stats.lastSeen());
    }

    /**
     * Buckets of the window where anybody contributed to the query's spans (one span, or the whole bundle:
     * a bucket then sums the published pieces of every span, so it is as safe as each of them), keyed by
     * their start; absent buckets had nobody.
     */
    public Map<Instant, BucketCell> trend(CellQuery query, Bucket bucket, int platformK) throws SQLException {
        return trend(query, bucket, platformK, sources(query, platformK));
    }

    /** As above, reading each day from where {@code days} says. */
    public Map<Instant, BucketCell> trend(CellQuery query, Bucket bucket, int platformK, DaySources days)
            throws SQLException {
        String bucketExpression = switch (bucket) {
            case HOUR -> "t";
            case DAY -> "toStartOfDay(t)";
            case WEEK -> "toDateTime(toMonday(t), 'UTC')";
        };
        Statement sql = live(query, days, query.fromSpan(), query.toSpan(), platformK, "", false);
        // An hour shows its own leaf only: a day's residual pieces belong to no single hour. A bucket whose
        // pieces are all unpublished still existed (deployments 0: the caller says below threshold).
        String level = bucket == Bucket.HOUR ? " AND level = 0" : "";
        sql.text("SELECT toUnixTimestamp(" + bucketExpression + ") AS bucket, sumIf(expands, published) AS b_expands, "
                + "sumIf(entries, published) AS b_entries, uniqCombined64MergeIf(12)(devs, published) AS deployments "
                + "FROM (");
        String stored = DaySources.condition("day", days.allStored(), false);
        if (!days.allStored().isEmpty() && bucket == Bucket.HOUR) {
            sql.text("SELECT at AS t, expands, entries, devs, published FROM span_pieces WHERE");
            scope(sql, query, query.fromSpan(), query.toSpan()).text(" AND " + stored + level + " UNION ALL ");
        } else if (!days.allStored().isEmpty()) {
            // Day and week buckets of closed days: one row per span, day and version with the published sums
            // and deployments (V011); a day whose pieces were all unpublished has a row of zeros, so its
            // bucket still exists.
            sql.text("SELECT toDateTime(day, 'UTC') AS t, expands, entries, devs, 1 AS published FROM span_trend_daily "
                    + "WHERE");
            scope(sql, query, query.fromSpan(), query.toSpan()).text(" AND " + stored + " UNION ALL ");
        }
        sql.text("SELECT at AS t, expands, entries, devs, published").pieces("1" + level)
                .text(") GROUP BY bucket ORDER BY bucket");
        Map<Instant, BucketCell> cells = new LinkedHashMap<>();
        sql.query(clickhouse, rows -> cells.put(Instant.ofEpochSecond(rows.getLong("bucket")),
                new BucketCell(rows.getLong("b_expands"), rows.getLong("b_entries"), rows.getLong("deployments"))));
        return cells;
    }

    /**
     * Starts a statement whose {@link Statement#pieces} are the pieces of the window's unclosed days: cut from
     * the raw rows of its live days, and read from span_open_pieces for its open days checked recently; each
     * narrowed by {@code spanFilter} (empty, or a condition starting with " AND"). The pieces carry the
     * allocator's statistics only when the statement reads them ({@code statistics}).
     *
     * <p>With days to cut, the pieces are the statement's {@code WITH} clause. Without (the usual case), they
     * are span_open_pieces itself, read where the statement names them, with the conditions written there:
     * ClickHouse spends most of such a statement's time planning it (parse, analysis, plan, pipeline: 8 of
     * 14 ms for a ranking, measured by its profile events), and a CTE of twenty columns is more to plan. The
     * two rankings' statements measured 2-3 ms faster each that way on the benchmark's data.
     */
    private static Statement live(CellQuery query, DaySources days, long fromSpan, long toSpan, int platformK,
                                  String spanFilter, boolean statistics) {
        Statement sql = new Statement();
        boolean cut = !days.live().isEmpty();
        String openDays = " AND k = " + platformK + " AND " + DaySources.condition("day", days.openStored(), false);
        if (!cut) {
            // With no day to cut, the grid's statement is left out: it costs 10-15 ms even over no rows.
            sql.piecesSource = statement -> openPieces(statement, query, fromSpan, toSpan)
                    .text(spanFilter + openDays + " AND ");
            return sql;
        }
        boolean stored = !days.openStored().isEmpty();
        Statement rawScope = scope(new Statement(), query, fromSpan, toSpan);
        sql.text(PieceSql.with(rawScope.text + spanFilter + " AND " + DaySources.condition("window_start", days.live(),
                true), platformK, statistics, stored ? "cut_pieces" : "pieces")).bindAll(rawScope);
        if (stored) {
            String columns = PieceSql.columns(statistics);
            sql.text(", pieces AS (SELECT " + columns + " FROM cut_pieces UNION ALL SELECT " + columns + " FROM");
            openPieces(sql, query, fromSpan, toSpan).text(spanFilter + openDays + ")\n");
        }
        return sql;
    }

    /** {@code span_open_pieces WHERE} the query's partition slice (see OpenDayRepository.IN_SLICE_OF) and scope. */
    private static Statement openPieces(Statement sql, CellQuery query, long fromSpan, long toSpan) {
        sql.text(" span_open_pieces WHERE " + OpenDayRepository.IN_SLICE_OF + " AND").bind(query.tenant())
                .bind(query.bundle());
        return scope(sql, query, fromSpan, toSpan);
    }

    /**
     * The rows of the query's bundle and kind, of its version when it names one, and in [fromSpan, toSpan)
     * unless that is every span ({@code toSpan} is exclusive and unsigned: -1 stands for the largest span id).
     * A condition that holds for every row is left out, not written as {@code (? = '' OR version = ?)}: less
     * for ClickHouse to plan (about a millisecond a statement).
     */
    private static Statement scope(Statement sql, CellQuery query, long fromSpan, long toSpan) {
        sql.text(" tenant = ? AND bundle = ? AND kind = ?").bind(query.tenant()).bind(query.bundle())
                .bind(query.metric().kind());
        if (query.version() != null && !query.version().isEmpty()) {
            sql.text(" AND version = ?").bind(query.version());
        }
        if (fromSpan != 0 || toSpan != -1) {
            sql.text(" AND span_id >= toUInt64(?) AND span_id < toUInt64(?)").bind(Long.toUnsignedString(fromSpan))
                    .bind(Long.toUnsignedString(toSpan));
        }
        return sql;
    }

    /**
     * SQL text and its binds, built in the order they appear; sent with the binds as typed server-side query
     * parameters ({@code {p1:String}}), through the JDBC connection's own client. Why not a JDBC
     * PreparedStatement: the driver parses every statement's text on the client (a JavaCC grammar) to find its
     * {@code ?}s and then substitutes them as literals; for these statements, several KB each, that parse was
     * the service's largest cost after ClickHouse itself. Here nothing is parsed on the client, and the values
     * never become SQL text.
     */
    static final class Statement {
        /**
         * Every table these statements read is narrowed by a sorting key (the table's, or a projection's) to a
         * few granules, whose rows mostly match: a PREWHERE step (ClickHouse moves the filter there by itself)
         * reads the filter's columns first and then the rest, and costs more than it saves. Measured on the
         * benchmark's data, turning it off took 1-2.5 ms from a ranking's two statements, and with the open
         * pieces sorted by published (V012) a single read of them went from 9.3 to 5.1 ms.
         */
        private static final String NO_PREWHERE = ", optimize_move_to_prewhere = 0";
        private final StringBuilder text = new StringBuilder();
        private final List<Object> binds = new ArrayList<>();
        /** Writes where {@link #pieces} reads from, up to its own condition; the WITH clause's by default. */
        private java.util.function.Consumer<Statement> piecesSource = statement -> statement.text(" pieces WHERE ");

        Statement text(String part) {
            text.append(part);
            return this;
        }

        Statement bind(Object value) {
            binds.add(value);
            return this;
        }

        /** The binds of {@code other}, whose text this statement took over. */
        Statement bindAll(Statement other) {
            binds.addAll(other.binds);
            return this;
        }

        /**
         * {@code FROM} the pieces of the unclosed days (see {@link PublishedCellRepository#live}) {@code WHERE
         * condition}; a statement names them once.
         */
        Statement pieces(String condition) {
            text(" FROM");
            piecesSource.accept(this);
            return text(condition);
        }

        /**
         * The text with its i-th {@code ?} as parameter {@code p<i>} of the bind's type. The statements are built
         * here, and no {@code ?} of theirs stands in a string literal or a comment: each one is a bind.
         */
        String serverSideText() {
            StringBuilder out = new StringBuilder(text.length() + 16 * binds.size());
            int bind = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '?') {
                    out.append(c);
                    continue;
                }
                if (bind == binds.size()) {
                    throw new IllegalStateException("more ? than binds in: " + text);
                }
                Object value = binds.get(bind++);
                out.append("{p").append(bind).append(':').append(typeOf(value)).append('}');
            }
            if (bind != binds.size()) {
                throw new IllegalStateException(binds.size() + " binds for " + bind + " ? in: " + text);
            }
            return out.toString();
        }

        Map<String, Object> parameters() {
            Map<String, Object> parameters = new java.util.HashMap<>();
            for (int i = 0; i < binds.size(); i++) {
                parameters.put("p" + (i + 1), binds.get(i));
            }
            return parameters;
        }

        private static String typeOf(Object value) {
            if (value instanceof String) {
                return "String";
            }
            if (value instanceof Integer || value instanceof Long) {
                return "Int64";
            }
            throw new IllegalArgumentException("no query parameter type for " + value.getClass());
        }

        void query(javax.sql.DataSource source, RowReader reader) throws SQLException {
            // Built before the connection: a statement whose binds do not match its text is a bug here, not a
            // failure of ClickHouse's, and is thrown as it is.
            String sql = serverSideText() + PieceSql.SETTINGS + NO_PREWHERE;
            Map<String, Object> parameters = parameters();
            try (Connection connection = source.getConnection()) {
                Client client = connection.unwrap(ConnectionImpl.class).getClient();
                try (QueryResponse response = client.query(sql, parameters).get();
                     ClickHouseBinaryFormatReader rows = client.newBinaryFormatReader(response)) {
                    while (rows.hasNext()) {
                        rows.next();
                        reader.read(rows);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while querying ClickHouse", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new SQLException(e.getCause().getMessage(), e.getCause());
                } catch (SQLException e) {
                    throw e;
                } catch (Exception e) {
                    // The client's own failures (server errors, I/O) as the JDBC driver reported them.
                    throw new SQLException(e.getMessage(), e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ClickHouseBinaryFormatReader rows) throws SQLException;
    }
}
