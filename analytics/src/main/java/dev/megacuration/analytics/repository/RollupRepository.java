package dev.megacuration.analytics.repository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stored aggregates of closed days (span_pieces and the daily and monthly sums its views feed): closing
 * a day, rebuilding a month, and the bookkeeping that says which days a query may read from them.
 */
@ApplicationScoped
public class RollupRepository {
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("yyyyMM");
    private static final String[] TABLES = {"span_pieces", "span_daily", "span_monthly", "span_daily_by_span",
        "span_monthly_by_span", "span_trend_daily"};
    /** The sums merged once their month is closed (see {@link #settleMonth}): all but the pieces, read by hour only. */
    private static final List<String> SETTLED = java.util.Arrays.stream(TABLES)
            .filter(table -> !table.equals("span_pieces")).toList();
    /** The tenant slices of a month's partitions (see V005__published_pieces.sql). */
    private static final int SLICES = 16;

    /** One tenant's month with dirty days to rebuild. */
    public record DirtyMonth(String tenant, YearMonth month) {
    }

    private final javax.sql.DataSource clickhouse;
    private final MaintenanceTarget target;

    @jakarta.inject.Inject
    public RollupRepository(@DataSource("clickhouse") AgroalDataSource clickhouse,
                            dev.megacuration.analytics.config.AnalyticsConfig config) {
        this(clickhouse, new MaintenanceTarget(config.cluster()));
    }

    /** For the benchmark, which runs without CDI. */
    public RollupRepository(javax.sql.DataSource clickhouse, MaintenanceTarget target) {
        this.clickhouse = clickhouse;
        this.target = target;
    }

    /** The last day whose reports are all in at {@code now}: it ended at least {@code lateness} ago. */
    public static LocalDate lastClosableDay(Instant now, java.time.Duration lateness) {
        return LocalDate.ofInstant(now.minus(lateness), java.time.ZoneOffset.UTC).minusDays(1);
    }

    /**
     * Whether rows about this day may meet stored pieces already (see {@link #lastClosableDay}). Ten
     * minutes early, so that rows inserted while their day closes are marked too.
     */
    public static boolean mayBeClosed(LocalDate day, Instant now, java.time.Duration lateness) {
        return !day.isAfter(lastClosableDay(now.plus(java.time.Duration.ofMinutes(10)), lateness));
    }

    /** The first day not closed at threshold {@code k}; empty when none is (everything is read raw). */
    public Optional<LocalDate> firstOpenDay(int k) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT toString(max(day) + 1), count() FROM rollup_builds WHERE k = ?")) {
            query.setInt(1, k);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(2) == 0 ? Optional.empty() : Optional.of(LocalDate.parse(rows.getString(1)));
            }
        }
    }

    /** The days of a tenant whose stored pieces are stale until their month is rebuilt. */
    public Set<LocalDate> dirtyDays(String tenant) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT DISTINCT toString(d.day)
                     FROM rollup_dirty AS d
                     LEFT JOIN (SELECT month, max(resolved_until) AS resolved FROM rollup_rebuilds
                                WHERE tenant = ? GROUP BY month) AS r ON r.month = toStartOfMonth(d.day)
                     WHERE d.tenant = ? AND d.marked_at > r.resolved""")) {
            query.setString(1, tenant);
            query.setString(2, tenant);
            Set<LocalDate> days = new TreeSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    days.add(LocalDate.parse(rows.getString(1)));
                }
            }
            return days;
        }
    }

    /** Marks days dirty; called before the rows that make them dirty are written. */
    public void markDirty(Map<String, Set<LocalDate>> daysByTenant) throws SQLException {
        if (daysByTenant.isEmpty()) {
            return;
        }
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO rollup_dirty (tenant, day, marked_at) VALUES (?, toDate(?), now64(3))")) {
            for (Map.Entry<String, Set<LocalDate>> tenant : daysByTenant.entrySet()) {
                for (LocalDate day : tenant.getValue()) {
                    insert.setString(1, tenant.getKey());
                    insert.setString(2, day.toString());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** Months with a closed day marked dirty at or before {@code settledBefore} and not rebuilt since. */
    public List<DirtyMonth> dirtyMonths(LocalDate firstOpenDay, Instant settledBefore) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT d.tenant, toString(toStartOfMonth(d.day)) AS m
                     FROM rollup_dirty AS d
                     LEFT JOIN (SELECT tenant, month, max(resolved_until) AS resolved FROM rollup_rebuilds
                                GROUP BY tenant, month) AS r
                          ON r.tenant = d.tenant AND r.month = toStartOfMonth(d.day)
                     WHERE d.marked_at > r.resolved AND d.marked_at <= fromUnixTimestamp64Milli(?, 'UTC')
                       AND d.day < toDate(?)
                     GROUP BY d.tenant, m
                     ORDER BY m, d.tenant""")) {
            query.setLong(1, settledBefore.toEpochMilli());
            query.setString(2, firstOpenDay.toString());
            List<DirtyMonth> months = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    months.add(new DirtyMonth(rows.getString(1), YearMonth.from(LocalDate.parse(rows.getString(2)))));
                }
            }
            return months;
        }
    }

    /** Records that a rebuild of the tenant's month settled every mark written up to {@code until}. */
    public void resolved(String tenant, YearMonth month, Instant until) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO rollup_rebuilds "
                     + "(tenant, month, resolved_until) VALUES (?, toDate(?), fromUnixTimestamp64Milli(?, 'UTC'))")) {
            insert.setString(1, tenant);
            insert.setString(2, month.atDay(1).toString());
            insert.setLong(3, until.toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** The k values stored pieces were cut at. */
    public Set<Integer> builtThresholds() throws SQLException {
        Set<Integer> ks = new HashSet<>();
        try (Connection connection = clickhouse.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT k FROM rollup_builds")) {
            while (rows.next()) {
                ks.add(rows.getInt(1));
            }
        }
        return ks;
    }

    /** Forgets every stored piece (k changed): queries read raw until the days are closed again. */
    public void reset() throws SQLException {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            // The bookkeeping first: from then on no query reads the tables being emptied.
            // One copy on every node, also on a cluster: a plain TRUNCATE reaches every replica.
            statement.execute("TRUNCATE TABLE rollup_builds");
            statement.execute("TRUNCATE TABLE rollup_rebuilds");
            for (String table : TABLES) {
                statement.execute("TRUNCATE TABLE " + target.table(table));
            }
        }
    }

    /** The first UTC day with raw rows, if any. */
    private Optional<LocalDate> firstRawDay() throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT toString(toDate(min(window_start))), count() FROM span_reports")) {
            rows.next();
            return rows.getLong(2) == 0 ? Optional.empty() : Optional.of(LocalDate.parse(rows.getString(1)));
        }
    }

    /**
     * Closes the first open day (the first day with raw rows when none is closed yet) if it is not after
     * {@code last}, and returns it; empty when there is nothing to close. Days close in order, so the closed
     * days are always the ones before {@link #firstOpenDay}.
     */
    public Optional<LocalDate> closeNextDay(LocalDate last, int k) throws SQLException {
        Optional<LocalDate> next = firstOpenDay(k);
        if (next.isEmpty()) {
            next = firstRawDay();
        }
        if (next.isEmpty() || next.get().isAfter(last)) {
            return Optional.empty();
        }
        LocalDate day = next.get();
        if (hasPieces(day)) {
            // A builder died between cutting this day and recording it: cut its month again without it.
            rebuildMonth(null, YearMonth.from(day), day, k);
        }
        closeDay(day, k);
        if (day.equals(YearMonth.from(day).atEndOfMonth())) {
            settleMonth(YearMonth.from(day));
        }
        return next;
    }

    /**
     * Merges a closed month's partitions of the sums that queries read into one part each. A statement pays
     * about half a millisecond for every part it reads, and a year's trend reads every month of a table:
     * each close adds a part a day, and after a year of closes background merges had left about three per
     * partition (a year's trend of the benchmark's hottest span 40 ms instead of 24). Once the month's last
     * day is closed only rebuilds write it again, and a rebuild swaps in whole partitions. Already merged
     * partitions are skipped; the benchmark's busiest slice takes about half a second a table.
     */
    private void settleMonth(YearMonth month) throws SQLException {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : SETTLED) {
                for (int slice = 0; slice < SLICES; slice++) {
                    statement.execute("OPTIMIZE TABLE " + target.table(table) + " PARTITION " + partition(month, slice)
                            + " FINAL SETTINGS optimize_skip_merged_partitions = 1");
                }
            }
        }
    }

    private boolean hasPieces(LocalDate day) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count() FROM span_pieces WHERE day = toDate(?)")) {
            query.setString(1, day.toString());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    /**
     * Cuts one day's pieces for every tenant and records the day as closed. The views add the published
     * ones to the daily and monthly sums in the same insert.
     */
    private void closeDay(LocalDate day, int k) throws SQLException {
        try (Connection connection = clickhouse.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO span_pieces (" + PieceSql.COLUMNS
                    + ") " + PieceSql.with("window_start >= toDateTime(?, 'UTC') AND window_start < toDateTime(?, 'UTC')", k)
                    + "SELECT " + PieceSql.COLUMNS + " FROM pieces" + PieceSql.SETTINGS)) {
                insert.setString(1, day.toString());
                insert.setString(2, day.plusDays(1).toString());
                insert.executeUpdate();
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO rollup_builds (day, k) VALUES (toDate(?), ?)")) {
                record.setString(1, day.toString());
                record.setInt(2, k);
                record.executeUpdate();
            }
        }
    }

    /**
     * Recomputes a month's pieces from raw, for one tenant ({@code null}: all), over its days before
     * {@code upTo}, and swaps the tables' partitions for the new ones: one slice of the month (the tables
     * are partitioned by month and {@code sipHash64(tenant) % 16}) for a tenant, all sixteen otherwise. The
     * other tenants of a slice are copied as they are. Only one rebuild may run at a time (the staging
     * tables are shared).
     */
    public void rebuildMonth(String tenant, YearMonth month, LocalDate upTo, int k) throws SQLException {
        int monthKey = monthKey(month);
        LocalDate start = month.atDay(1);
        LocalDate end = month.plusMonths(1).atDay(1).isBefore(upTo) ? month.plusMonths(1).atDay(1) : upTo;
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            List<Integer> slices = new ArrayList<>();
            if (tenant == null) {
                for (int slice = 0; slice < SLICES; slice++) {
                    slices.add(slice);
                }
            } else {
                slices.add(sliceOf(connection, tenant));
            }
            for (int slice : slices) {
                for (String table : TABLES) {
                    statement.execute("TRUNCATE TABLE " + target.table(table + "_rebuild"));
                }
                if (tenant != null) {
                    try (PreparedStatement copy = connection.prepareStatement("INSERT INTO span_pieces_rebuild SELECT "
                            + PieceSql.COLUMNS + " FROM span_pieces WHERE toYYYYMM(day) = ? AND sipHash64(tenant) % "
                            + SLICES + " = ? AND tenant != ?")) {
                        copy.setInt(1, monthKey);
                        copy.setInt(2, slice);
                        copy.setString(3, tenant);
                        copy.executeUpdate();
                    }
                }
                if (start.isBefore(end)) {
                    String raw = (tenant == null ? "sipHash64(tenant) % " + SLICES + " = ?" : "tenant = ?")
                            + " AND window_start >= toDateTime(?, 'UTC') AND window_start < toDateTime(?, 'UTC')";
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO span_pieces_rebuild ("
                            + PieceSql.COLUMNS + ") " + PieceSql.with(raw, k) + "SELECT " + PieceSql.COLUMNS
                            + " FROM pieces" + PieceSql.SETTINGS)) {
                        insert.setObject(1, tenant == null ? (Object) slice : tenant);
                        insert.setString(2, start.toString());
                        insert.setString(3, end.toString());
                        insert.executeUpdate();
                    }
                }
                for (String table : TABLES) {
                    // An empty source is meant: the tenant's month may have lost its last row to an erasure.
                    statement.execute("ALTER TABLE " + target.table(table) + " REPLACE PARTITION "
                            + partition(month, slice) + " FROM " + target.source(table + "_rebuild")
                            + " SETTINGS allow_replace_partition_from_empty_source = 1");
                }
            }
        }
    }

    /** A month as the first part of the pieces' and sums' partition key ({@code toYYYYMM}). */
    private static int monthKey(YearMonth month) {
        return Integer.parseInt(month.format(PARTITION));
    }

    /** A (month, tenant slice) partition of the pieces and sums, as ALTER and OPTIMIZE name it. */
    private static String partition(YearMonth month, int slice) {
        return "(" + monthKey(month) + ", " + slice + ")";
    }

    private static int sliceOf(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT toUInt8(sipHash64(?) % " + SLICES + ")")) {
            query.setString(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
