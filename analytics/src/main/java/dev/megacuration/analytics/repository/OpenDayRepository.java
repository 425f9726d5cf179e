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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The stored pieces of open days (span_open_pieces, see V008__open_day_pieces.sql): on one node, the rows
 * inserted since a partition's last refresh and adding them (V013__open_pieces_by_block.sql); on a cluster,
 * which groups differ from their raw rows and cutting them again; and the record of the last check that queries
 * trust them by.
 */
@ApplicationScoped
public class OpenDayRepository {
    /** The slices of an open day's partitions (see V008__open_day_pieces.sql). */
    private static final int SLICES = 16;
    private static final String SLICE = "sipHash64(tenant, bundle) % " + SLICES;
    /**
     * A reader's condition on the partition slice of one (tenant, bundle), bound in that order. ClickHouse
     * prunes partitions by a function of one column (the other tables' sipHash64(tenant)) from an equality on
     * that column, but not by this function of two: min-max pruning on tenant and bundle alone let 9 of a
     * day's 22 parts through for one bundle of the benchmark, and its two statements took 5 ms longer.
     */
    static final String IN_SLICE_OF = SLICE + " = sipHash64(?, ?) % " + SLICES;

    /**
     * One (tenant, bundle) on one day: what a refresh cuts again, both kinds at once; {@code slice} is its
     * partition's, as ClickHouse computes it from the stored values; {@code hours} are the starts
     * ({@code yyyy-MM-dd HH:mm:ss}, UTC) of those of its hours whose raw rows the stored leaves do not count.
     */
    public record Group(String tenant, String bundle, LocalDate day, int slice, List<String> hours) {
    }

    /** A completed check: from {@code firstDay} on, every group held all raw rows it had at {@code checkedAt}. */
    public record Sweep(Instant checkedAt, LocalDate firstDay, int k) {
    }

    private final javax.sql.DataSource clickhouse;
    private final MaintenanceTarget target;

    @jakarta.inject.Inject
    public OpenDayRepository(@DataSource("clickhouse") AgroalDataSource clickhouse,
                             dev.megacuration.analytics.config.AnalyticsConfig config) {
        this(clickhouse, new MaintenanceTarget(config.cluster()));
    }

    /** For the benchmark, which runs without CDI. */
    public OpenDayRepository(javax.sql.DataSource clickhouse, MaintenanceTarget target) {
        this.clickhouse = clickhouse;
        this.target = target;
    }

    /**
     * The groups from {@code firstDay} on whose stored leaves do not count the rows span_reports holds now: new
     * reports, rows erased, pieces never stored or cut at another k; each with the hours that differ, which a
     * refresh cuts from raw rows (see {@link #refresh}); and every group of {@code tenant} besides (an erasure
     * cuts them all again). Days after today count too (a report about a window not yet over is stored as any
     * other). A cluster's check (see {@link #findsRowsByBlock}).
     */
    public List<Group> differing(LocalDate firstDay, int k, String tenant) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT tenant, bundle, toString(toDate(hour)), toUInt8(%s) AS slice, toString(hour)
                     FROM (SELECT tenant, bundle, toStartOfHour(window_start) AS hour, count() AS raw
                           FROM span_reports WHERE window_start >= toDateTime(?, 'UTC')
                           GROUP BY tenant, bundle, hour) AS r
                     FULL OUTER JOIN
                          (SELECT tenant, bundle, at AS hour, sum(entries) AS stored FROM span_open_pieces
                           WHERE day >= toDate(?) AND level = 0 AND k = ? GROUP BY tenant, bundle, hour) AS s
                     USING (tenant, bundle, hour)
                     WHERE raw != stored OR tenant = ?""".formatted(SLICE))) {
            query.setString(1, firstDay.toString());
            query.setString(2, firstDay.toString());
            query.setInt(3, k);
            query.setString(4, tenant);
            Map<Group, List<String>> hours = new java.util.LinkedHashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Group group = new Group(rows.getString(1), rows.getString(2), LocalDate.parse(rows.getString(3)),
                            rows.getInt(4), List.of());
                    hours.computeIfAbsent(group, key -> new ArrayList<>()).add(rows.getString(5));
                }
            }
            List<Group> groups = new ArrayList<>();
            hours.forEach((group, changed) -> groups.add(new Group(group.tenant(), group.bundle(), group.day(),
                    group.slice(), List.copyOf(changed))));
            return groups;
        }
    }

    /**
     * Cuts the groups' pieces again at threshold {@code k} and swaps them in, one slice of one day at a time
     * (the other groups of the slice are copied as they are). Only each group's {@link Group#hours} are cut from
     * raw rows; its other hours' leaves are taken as stored. A busy bundle's day grows all day, and cutting all
     * of it every time took seconds by the evening (deploy/bench/soak-results.md, 2026-12-07), while reports
     * mostly arrive for the last hour. With {@code wholeDays} (an erasure) every hour is cut from raw rows. A
     * group whose rows are all gone is left out of its slice. Only one refresh may run at a time (the staging
     * table is shared).
     */
    public void refresh(Collection<Group> groups, int k, boolean wholeDays) throws SQLException {
        Map<LocalDate, Map<Integer, List<Group>>> bySlice = new TreeMap<>();
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            for (Group group : groups) {
                bySlice.computeIfAbsent(group.day(), day -> new TreeMap<>())
                        .computeIfAbsent(group.slice(), slice -> new ArrayList<>()).add(group);
            }
            for (Map.Entry<LocalDate, Map<Integer, List<Group>>> day : bySlice.entrySet()) {
                for (Map.Entry<Integer, List<Group>> slice : day.getValue().entrySet()) {
                    refreshSlice(statement, day.getKey(), slice.getKey(), slice.getValue(), k, wholeDays);
                }
            }
        }
    }

    private void refreshSlice(Statement statement, LocalDate day, int slice, List<Group> groups,
                              int k, boolean wholeDays) throws SQLException {
        Partition partition = new Partition(day, slice);
        String listed = listed(groups.stream().map(group -> List.of(group.tenant(), group.bundle())).toList());
        String rawHours = "";
        String storedLeaves = null;
        if (!wholeDays) {
            List<String> changed = groups.stream().flatMap(group -> group.hours().stream().map(hour -> "("
                    + quote(group.tenant()) + ", " + quote(group.bundle()) + ", toDateTime(" + quote(hour) + ", 'UTC'))"))
                    .toList();
            java.util.function.Function<String, String> changedHour = hour -> changed.isEmpty() ? "0"
                    : "(tenant, bundle, " + hour + ") IN (" + String.join(", ", changed) + ")";
            rawHours = " AND " + changedHour.apply("toStartOfHour(window_start)");
            storedLeaves = inPartition(partition) + " AND " + listed + " AND NOT " + changedHour.apply("at");
        }
        statement.execute("TRUNCATE TABLE " + target.table("span_open_pieces_staging"));
        // A cluster's pieces hold no insert block (0).
        copyOthers(statement, partition, listed, k, 0, "");
        cutInto(statement, inDay(day) + " AND " + listed + rawHours, storedLeaves, k, 0, PieceSql.SETTINGS);
        replace(statement, partition);
    }

    /**
     * Whether new rows are found by their insert block (V013): on one node. A cluster's shards number their
     * blocks apart, so there the refresher compares counts ({@link #differing}).
     */
    public boolean findsRowsByBlock() {
        return target.cluster().isEmpty();
    }

    /** One partition of the stored open pieces: a slice of an open day (see V008__open_day_pieces.sql). */
    public record Partition(LocalDate day, int slice) implements Comparable<Partition> {
        @Override
        public int compareTo(Partition other) {
            int byDay = day.compareTo(other.day);
            return byDay != 0 ? byDay : Integer.compare(slice, other.slice);
        }
    }

    /** A group with rows inserted after its partition's last refresh, and the newest block among them. */
    public record Inserted(String tenant, String bundle, Partition partition, long newestBlock) {
    }

    /**
     * The newest insert block of the raw table (see V013__open_pieces_by_block.sql): every row of a block up to
     * it is visible from now on. Single node only.
     */
    public long newestBlock() throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT max(max_block_number) FROM system.parts "
                     + "WHERE database = currentDatabase() AND table = 'span_reports' AND active")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The groups from {@code firstDay} on with rows of blocks after {@code after} and up to {@code through}. */
    public List<Inserted> inserted(LocalDate firstDay, long after, long through) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT tenant, bundle, toString(toDate(window_start)) "
                     + "AS day, toUInt8(" + SLICE + ") AS slice, max(_block_number) FROM span_reports WHERE "
                     + newRows(after, through) + " AND window_start >= toDateTime(?, 'UTC') "
                     + "GROUP BY tenant, bundle, day, slice" + NEW_ROWS_SETTINGS)) {
            query.setString(1, firstDay.toString());
            List<Inserted> groups = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    groups.add(new Inserted(rows.getString(1), rows.getString(2),
                            new Partition(LocalDate.parse(rows.getString(3)), rows.getInt(4)), rows.getLong(5)));
                }
            }
            return groups;
        }
    }

    /**
     * Through which raw block each stored partition from {@code firstDay} on holds every row (its rows'
     * through_block: a refresh writes all of them), for the partitions cut at {@code k} since V013; the others
     * (none, or cut before V013 or at another k) are left out.
     */
    public Map<Partition, Long> storedThrough(LocalDate firstDay, int k) throws SQLException {
        Map<Partition, Long> through = new TreeMap<>();
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT toString(day), toUInt8(" + SLICE + ") AS slice, "
                     + "min(through_block), max(through_block), min(k), max(k) FROM span_open_pieces "
                     + "WHERE day >= toDate(?) GROUP BY day, slice")) {
            query.setString(1, firstDay.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long block = rows.getLong(3);
                    if (block > 0 && block == rows.getLong(4) && rows.getInt(5) == k && rows.getInt(6) == k) {
                        through.put(new Partition(LocalDate.parse(rows.getString(1)), rows.getInt(2)), block);
                    }
                }
            }
        }
        return through;
    }

    /**
     * The partitions from {@code firstDay} on that hold raw rows or stored pieces ({@code tenant} empty), or
     * stored pieces of {@code tenant}.
     */
    public java.util.SortedSet<Partition> partitions(LocalDate firstDay, String tenant) throws SQLException {
        String stored = "SELECT DISTINCT toString(day), toUInt8(" + SLICE + ") FROM span_open_pieces WHERE day >= toDate(?)";
        String sql = tenant.isEmpty()
                ? "SELECT DISTINCT toString(toDate(window_start)), toUInt8(" + SLICE + ") FROM span_reports "
                        + "WHERE window_start >= toDateTime(?, 'UTC') UNION DISTINCT " + stored
                : stored + " AND tenant = ?";
        java.util.SortedSet<Partition> partitions = new java.util.TreeSet<>();
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, firstDay.toString());
            query.setString(2, tenant.isEmpty() ? firstDay.toString() : tenant);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    partitions.add(new Partition(LocalDate.parse(rows.getString(1)), rows.getInt(2)));
                }
            }
        }
        return partitions;
    }

    /**
     * Cuts every group of the partition from its raw rows of blocks up to {@code through}, at threshold {@code k},
     * and swaps the pieces in (a partition not stored yet, or one an erasure changed). A partition whose rows
     * are all gone is emptied.
     */
    public void cutWhole(Partition partition, int k, long through) throws SQLException {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE " + target.table("span_open_pieces_staging"));
            cutInto(statement, inDay(partition.day()) + " AND " + SLICE + " = " + partition.slice()
                    + " AND _block_number <= " + through, null, k, through, BY_BLOCK_SETTINGS);
            replace(statement, partition);
        }
    }

    /**
     * Adds to the partition's stored pieces the rows of blocks after {@code after} and up to {@code through} of
     * {@code groups}. Every piece of a span (its leaves, day and cross pieces) is cut from that span's leaves
     * alone, so only the spans with new rows are cut again: their stored leaves are merged with the leaves of
     * their new rows, and the pieces of every other span of the partition are copied as they are. The partition
     * is swapped in whole, holding every row up to {@code through}. The new rows of a busy open day are a
     * second's worth, where cutting a changed hour from raw rows read the whole hour
     * (V013__open_pieces_by_block.sql). (Keeping the unchanged pieces' parts and masking the changed ones with a
     * lightweight delete instead of copying was slower under the soak: deploy/bench/soak-results.md,
     * 2026-12-07.)
     */
    public void addInserted(Partition partition, Collection<Inserted> groups, long after, long through, int k)
            throws SQLException {
        String listed = listed(groups.stream().map(group -> List.of(group.tenant(), group.bundle())).toList());
        String newRaw = inDay(partition.day()) + " AND " + listed + " AND " + newRows(after, through);
        String changedSpans = "(tenant, bundle, kind, version, span_id) IN (SELECT tenant, bundle, kind, version, "
                + "span_id FROM span_reports WHERE " + newRaw + ")";
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE " + target.table("span_open_pieces_staging"));
            copyOthers(statement, partition, changedSpans, k, through, NEW_ROWS_SETTINGS);
            cutInto(statement, newRaw, inPartition(partition) + " AND " + changedSpans, k, through,
                    BY_BLOCK_SETTINGS);
            replace(statement, partition);
        }
    }

    /** The raw rows of {@code day} (a range on the time the raw table's partitions and projection are by). */
    private static String inDay(LocalDate day) {
        return "window_start >= toDateTime('" + day + "', 'UTC') AND window_start < toDateTime('" + day.plusDays(1)
                + "', 'UTC')";
    }

    /** The stored pieces of a partition. */
    private static String inPartition(Partition partition) {
        return "day = toDate('" + partition.day() + "') AND " + SLICE + " = " + partition.slice();
    }

    /** A condition on (tenant, bundle) naming each of {@code groups} ({tenant, bundle} each). */
    private static String listed(Collection<List<String>> groups) {
        return "(tenant, bundle) IN (" + groups.stream()
                .map(group -> "(" + quote(group.get(0)) + ", " + quote(group.get(1)) + ")")
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Copies the partition's stored pieces that do not match {@code cutAgain} into staging, marked
     * {@code through}.
     */
    private void copyOthers(Statement statement, Partition partition, String cutAgain, int k, long through,
                            String settings) throws SQLException {
        statement.execute("INSERT INTO span_open_pieces_staging (" + PieceSql.COLUMNS + ", k, through_block) SELECT "
                + PieceSql.COLUMNS + ", k, " + through + " FROM span_open_pieces WHERE " + inPartition(partition)
                + " AND k = " + k + " AND NOT " + cutAgain + settings);
    }

    /**
     * Cuts the pieces of the raw rows matching {@code rawFilter} (which starts with {@link #inDay}), and of the
     * stored leaves matching {@code storedLeaves}, into staging.
     */
    private static void cutInto(Statement statement, String rawFilter, String storedLeaves, int k, long through,
                                String settings) throws SQLException {
        statement.execute("INSERT INTO span_open_pieces_staging (" + PieceSql.COLUMNS + ", k, through_block) "
                + PieceSql.with(rawFilter, k, true, "pieces", storedLeaves) + "SELECT " + PieceSql.COLUMNS + ", " + k
                + ", " + through + " FROM pieces" + settings);
    }

    private void replace(Statement statement, Partition partition) throws SQLException {
        // An empty source is meant: the partition's last group may have lost its last row to an erasure.
        statement.execute("ALTER TABLE " + target.table("span_open_pieces") + " REPLACE PARTITION "
                + partitionLiteral(partition) + " FROM " + target.source("span_open_pieces_staging")
                + " SETTINGS allow_replace_partition_from_empty_source = 1");
    }

    private static String partitionLiteral(Partition partition) {
        return "('" + partition.day() + "', " + partition.slice() + ")";
    }

    /**
     * Reads of rows by block go to the table's own parts, not to the by_time projection: a projection's part
     * does not keep its rows' block numbers through a merge (every row reads the part's first block).
     */
    private static final String NEW_ROWS_SETTINGS = " SETTINGS optimize_use_projections = 0";
    /**
     * The cuts of the refresher run nicer than the inserts (os_thread_priority is the query threads' nice
     * value): it refreshes without rest, and under a flood of reports it should take the CPU they leave. (Two
     * insert threads made a cut of the soak's 32k changed leaves 20% faster alone, but under the soak the
     * reports then reached ClickHouse up to 3.7 s after their 202 instead of 1.5, and today's pieces up to 7.7 s
     * instead of 5.2: deploy/bench/soak-results.md, 2026-12-07.)
     */
    private static final String BY_BLOCK_SETTINGS = PieceSql.SETTINGS + ", optimize_use_projections = 0, "
            + "os_thread_priority = 10";

    /**
     * Raw rows of blocks after {@code after} and up to {@code through}. The parts are chosen by the highest block
     * in their name ({partition}_{min}_{max}_{level}[_{mutation}]; a month's partition id has no underscore),
     * which ClickHouse applies to the parts of the query's own snapshot: a list of names read before could
     * name a part that a merge has replaced meanwhile, and its rows would be missed.
     */
    private static String newRows(long after, long through) {
        return "toUInt64(splitByChar('_', _part)[3]) > " + after + " AND _block_number > " + after
                + " AND _block_number <= " + through;
    }

    /** Drops the stored pieces of the days before {@code day}: they are closed and stored in span_pieces. */
    public void dropBefore(LocalDate day) throws SQLException {
        List<String> partitions = new ArrayList<>();
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT DISTINCT toString(day), " + SLICE
                     + " FROM span_open_pieces WHERE day < toDate(?)")) {
            query.setString(1, day.toString());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    partitions.add(partitionLiteral(new Partition(LocalDate.parse(rows.getString(1)), rows.getInt(2))));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String partition : partitions) {
                    statement.execute("ALTER TABLE " + target.table("span_open_pieces") + " DROP PARTITION " + partition);
                }
            }
        }
    }

    /** Records a completed check (see {@link Sweep}). */
    public void recordSweep(Sweep sweep) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO open_day_sweeps (checked_at, "
                     + "first_day, k) VALUES (fromUnixTimestamp64Milli(?, 'UTC'), toDate(?), ?)")) {
            insert.setLong(1, sweep.checkedAt().toEpochMilli());
            insert.setString(2, sweep.firstDay().toString());
            insert.setInt(3, sweep.k());
            insert.executeUpdate();
        }
    }

    /** The last completed check, if any within the table's hour. */
    public Optional<Sweep> lastSweep() throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT toUnixTimestamp64Milli(checked_at), toString(first_day), k "
                     + "FROM open_day_sweeps ORDER BY checked_at DESC LIMIT 1")) {
            return rows.next() ? Optional.of(new Sweep(Instant.ofEpochMilli(rows.getLong(1)),
                    LocalDate.parse(rows.getString(2)), rows.getInt(3))) : Optional.empty();
        }
    }

    /** A ClickHouse string literal; tenants and bundles are slugs, but the quoting does not rely on it. */
    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
