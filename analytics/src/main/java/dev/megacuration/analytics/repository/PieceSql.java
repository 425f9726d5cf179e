package dev.megacuration.analytics.repository;

/**
 * The piece grid of privacy/README.md as SQL over {@code span_reports}: one {@code WITH} clause whose
 * {@code pieces} table has the columns of {@code span_pieces}. The builder stores it for closed days, and
 * queries compute it for open and dirty days, so both paths cut exactly the same pieces ({@code PieceGrid}
 * in the privacy module is the reference model both must agree with).
 *
 * <p>Pieces are cut per (tenant, bundle, kind, version, span) and never cross a UTC day, so computing them
 * for any set of whole days gives the same pieces as computing them for more.
 */
final class PieceSql {
    /**
     * Ends every statement that uses {@link #with}: leaves and day groups are each read by two parts of the
     * grid, and pieces by two parts of a ranking; materializing them computes each once (half the time on
     * a day of raw rows).
     */
    static final String SETTINGS = " SETTINGS enable_materialized_cte = 1";

    /** The columns of {@code span_pieces} and of the {@code pieces} CTE, in order. */
    static final String COLUMNS = "tenant, bundle, kind, day, at, level, version, span_id, reason, expands, "
            + "collapses, entries, devs, residency_sum, residency_n, swap_sum, swap_n, nll, published, retention_days";

    private PieceSql() {
    }

    /**
     * The {@code WITH} clause over the raw rows matching {@code rawFilter} (which may hold {@code ?} binds), at
     * threshold {@code k}; an integer, so it is written into the text. Its {@code pieces} have every column
     * of {@link #COLUMNS}, the allocator's statistics included.
     */
    static String with(String rawFilter, int k) {
        return with(rawFilter, k, true);
    }

    /**
     * As above; without {@code statistics} the pieces lack residency, swap rate and ΔNLL (a materialized CTE
     * computes every column it has, and a t-digest per leaf costs a query that shows none of them about a
     * third of its time on a busy open day).
     */
    static String with(String rawFilter, int k, boolean statistics) {
        return with(rawFilter, k, statistics, "pieces");
    }

    /** The columns of the pieces {@link #with} makes: {@link #COLUMNS}, without the statistics unless asked. */
    static String columns(boolean statistics) {
        return statistics ? COLUMNS : COLUMNS.replace("residency_sum, residency_n, swap_sum, swap_n, nll, ", "");
    }

    /** As above, the pieces named {@code name} (a statement that adds stored pieces to them names them apart). */
    static String with(String rawFilter, int k, boolean statistics, String name) {
        return with(rawFilter, k, statistics, name, null);
    }

    /**
     * As above, with leaves that are stored already besides the ones cut from raw rows: the level-0 pieces of
     * span_open_pieces matching {@code storedLeaves} (none when null). A level-0 piece is a leaf as this grid
     * cuts it, with its deployments' state, so merging it with the raw rows' leaf of the same key gives the
     * leaf of both: an open day's refresh adds only the rows inserted since its last one to the leaves it stored
     * then (OpenDayRepository). With statistics only.
     */
    static String with(String rawFilter, int k, boolean statistics, String name, String storedLeaves) {
        if (storedLeaves != null && !statistics) {
            throw new IllegalArgumentException("stored leaves carry statistics; the pieces must have them too");
        }
        String dayStats = !statistics ? "" : """
                           sum(l_res_sum) AS d_res_sum, sum(l_res_n) AS d_res_n, sum(l_swap_sum) AS d_swap_sum,
                           sum(l_swap_n) AS d_swap_n, quantilesTDigestMergeState(0.5, 0.9)(l_nll) AS d_nll,
                """;
        String leafPiece = !statistics ? "" : " l_res_sum AS residency_sum, l_res_n AS residency_n, "
                + "l_swap_sum AS swap_sum, l_swap_n AS swap_n, l_nll AS nll,";
        String dayPiece = !statistics ? "" : " d_res_sum, d_res_n, d_swap_sum, d_swap_n, d_nll,";
        String crossPiece = !statistics ? "" : " sum(d_res_sum), sum(d_res_n), sum(d_swap_sum), sum(d_swap_n),"
                + " quantilesTDigestMergeState(0.5, 0.9)(d_nll),";
        // Aliases differ from the columns they are made of: ClickHouse resolves an alias before a column.
        return """
                WITH leaves AS MATERIALIZED (
%7$s),
                day_groups AS MATERIALIZED (
                    SELECT tenant, bundle, kind, version, span_id, reason, toStartOfDay(hour) AS d_day,
                           sum(l_expands) AS d_expands, sum(l_collapses) AS d_collapses, sum(l_entries) AS d_entries,
                           uniqCombined64MergeState(12)(l_devs) AS d_devs, uniqCombined64Merge(12)(l_devs) AS d_n,
                %2$s           min(l_retention) AS d_retention
                    FROM leaves
                    WHERE l_n < %1$d
                    GROUP BY tenant, bundle, kind, version, span_id, reason, d_day
                ),
                %6$s AS MATERIALIZED (
                    SELECT tenant, bundle, kind, toDate(hour) AS day, hour AS at, toUInt8(0) AS level, version, span_id,
                           reason, l_expands AS expands, l_collapses AS collapses, l_entries AS entries,
                           l_devs AS devs,%3$s l_n >= %1$d AS published, l_retention AS retention_days
                    FROM leaves
                    UNION ALL
                    SELECT tenant, bundle, kind, toDate(d_day), d_day, toUInt8(1), version, span_id, reason, d_expands,
                           d_collapses, d_entries, d_devs,%4$s d_n >= %1$d, d_retention
                    FROM day_groups
                    UNION ALL
                    SELECT tenant, bundle, kind, toDate(d_day), d_day, toUInt8(2), version, span_id, '',
                           sum(d_expands), sum(d_collapses), sum(d_entries), uniqCombined64MergeState(12)(d_devs),%5$s
                           uniqCombined64Merge(12)(d_devs) >= %1$d, min(d_retention)
                    FROM day_groups
                    WHERE d_n < %1$d
                    GROUP BY tenant, bundle, kind, version, span_id, d_day
                )
                """.formatted(k, dayStats, leafPiece, dayPiece, crossPiece, name,
                        storedLeaves == null ? rawLeaves(rawFilter, statistics) : mergedLeaves(rawFilter, k, storedLeaves));
    }

    /** The leaves of the raw rows matching {@code rawFilter}: one per key and hour, with its deployments' state. */
    private static String rawLeaves(String rawFilter, boolean statistics) {
        return leavesOfRaw(rawFilter, statistics, "l_", ", uniqCombined64(12)(deployment) AS l_n");
    }

    /**
     * The leaves of the raw rows matching {@code rawFilter} merged with the stored leaves matching
     * {@code storedLeaves}: a key in both gets the sums, deployments and ΔNLL digest of both.
     */
    private static String mergedLeaves(String rawFilter, int k, String storedLeaves) {
        // Aliases differ from the columns they are made of: ClickHouse resolves an alias before a column.
        return """
                    SELECT tenant, bundle, kind, version, span_id, reason, hour,
                           sum(x_expands) AS l_expands, sum(x_collapses) AS l_collapses, sum(x_entries) AS l_entries,
                           uniqCombined64MergeState(12)(x_devs) AS l_devs, finalizeAggregation(l_devs) AS l_n,
                           sum(x_res_sum) AS l_res_sum, sum(x_res_n) AS l_res_n, sum(x_swap_sum) AS l_swap_sum,
                           sum(x_swap_n) AS l_swap_n, quantilesTDigestMergeState(0.5, 0.9)(x_nll) AS l_nll,
                           min(x_retention) AS l_retention
                    FROM (
                %s
                    UNION ALL
                    SELECT tenant, bundle, kind, version, span_id, reason, at, expands, collapses, entries, devs,
                           residency_sum, residency_n, swap_sum, swap_n, nll, retention_days
                    FROM span_open_pieces
                    WHERE level = 0 AND k = %d AND %s
                    )
                    GROUP BY tenant, bundle, kind, version, span_id, reason, hour
                """.formatted(leavesOfRaw(rawFilter, true, "x_", ""), k, storedLeaves);
    }

    /**
     * The leaves of the raw rows matching {@code rawFilter}, their aggregates named with {@code prefix}, with
     * {@code extra} columns after them.
     */
    private static String leavesOfRaw(String rawFilter, boolean statistics, String prefix, String extra) {
        String stats = !statistics ? "" : """
                           toFloat64(sum(ifNull(residency, 0))) AS $res_sum, count(residency) AS $res_n,
                           toFloat64(sum(ifNull(swap_rate, 0))) AS $swap_sum, count(swap_rate) AS $swap_n,
                           quantilesTDigestStateIf(0.5, 0.9)(assumeNotNull(delta_nll), delta_nll IS NOT NULL) AS $nll,
                """;
        return ("""
                    SELECT tenant, bundle, kind, version, span_id, stale_reason AS reason,
                           toStartOfHour(window_start) AS hour,
                           sum(expands) AS $expands, sum(collapses) AS $collapses, count() AS $entries,
                           uniqCombined64State(12)(deployment) AS $devs,
                """ + stats + """
                           min(retention_days) AS $retention
                """).replace("$", prefix) + """
                           %s
                    FROM span_reports
                    WHERE %s
                    GROUP BY tenant, bundle, kind, version, span_id, reason, hour
                """.formatted(extra, rawFilter);
    }
}
