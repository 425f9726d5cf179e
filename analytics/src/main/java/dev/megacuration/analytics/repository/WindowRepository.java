package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.Window;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The closed days of the standard windows summed per span (span_windows, V010): building a window from the
 * daily and monthly sums, building one tenant's rows of it again, and the list queries pick a window from.
 */
@ApplicationScoped
public class WindowRepository {
    private static final String COLUMNS = "tenant, bundle, kind, from_day, to_day, span_id, version, reason, "
            + "cross_reason, expands, collapses, entries, devs, residency_sum, residency_n, swap_sum, swap_n, nll, "
            + "last_seen, k";

    private final javax.sql.DataSource clickhouse;
    private final MaintenanceTarget target;

    @jakarta.inject.Inject
    public WindowRepository(@DataSource("clickhouse") AgroalDataSource clickhouse,
                            dev.megacuration.analytics.config.AnalyticsConfig config) {
        this(clickhouse, new MaintenanceTarget(config.cluster()));
    }

    /** For the benchmark, which runs without CDI. */
    public WindowRepository(javax.sql.DataSource clickhouse, MaintenanceTarget target) {
        this.clickhouse = clickhouse;
        this.target = target;
    }

    /** The windows built at threshold {@code k}. */
    public Set<Window> built(int k) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT DISTINCT toString(from_day), toString(to_day) FROM window_builds WHERE k = ?")) {
            query.setInt(1, k);
            Set<Window> windows = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    windows.add(new Window(LocalDate.parse(rows.getString(1)), LocalDate.parse(rows.getString(2))));
                }
            }
            return windows;
        }
    }

    /**
     * Builds the closed days {@code window} (all of them closed before {@code firstOpenDay}) for every tenant,
     * or again for {@code tenant} alone (the others are copied as they are), and records it as built.
     */
    public void build(Window window, LocalDate firstOpenDay, int k, Optional<String> tenant) throws SQLException {
        DaySources days = DaySources.plan(window, Optional.of(firstOpenDay), Set.of(), Optional.empty());
        if (!days.live().isEmpty()) {
            throw new IllegalArgumentException(window + " has days not closed before " + firstOpenDay);
        }
        String partition = "('" + window.from() + "', '" + window.to() + "')";
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE " + target.table("span_windows_staging"));
            if (tenant.isPresent()) {
                try (PreparedStatement copy = connection.prepareStatement("INSERT INTO span_windows_staging SELECT "
                        + COLUMNS + " FROM span_windows WHERE from_day = toDate(?) AND to_day = toDate(?) AND k = ? "
                        + "AND tenant != ?")) {
                    copy.setString(1, window.from().toString());
                    copy.setString(2, window.to().toString());
                    copy.setInt(3, k);
                    copy.setString(4, tenant.get());
                    copy.executeUpdate();
                }
            }
            String only = tenant.isPresent() ? " AND tenant = ?" : "";
            String sums = "span_id, version, reason, cross_reason, expands, collapses, entries, devs, residency_sum, "
                    + "residency_n, swap_sum, swap_n, nll";
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO span_windows_staging (" + COLUMNS
                    + ") SELECT tenant, bundle, kind, toDate(?), toDate(?), span_id, version, reason, cross_reason, "
                    + "sum(expands), sum(collapses), sum(entries), uniqCombined64MergeState(12)(devs), sum(residency_sum), "
                    + "sum(residency_n), sum(swap_sum), sum(swap_n), quantilesTDigestMergeState(0.5, 0.9)(nll), "
                    + "max(last_seen), ? FROM (SELECT tenant, bundle, kind, " + sums + ", last_seen FROM span_monthly "
                    + "WHERE " + DaySources.condition("month", days.months(), false) + only
                    + " UNION ALL SELECT tenant, bundle, kind, " + sums + ", day AS last_seen FROM span_daily WHERE "
                    + DaySources.condition("day", days.storedDays(), false) + only
                    + ") GROUP BY tenant, bundle, kind, span_id, version, reason, cross_reason")) {
                insert.setString(1, window.from().toString());
                insert.setString(2, window.to().toString());
                insert.setInt(3, k);
                if (tenant.isPresent()) {
                    insert.setString(4, tenant.get());
                    insert.setString(5, tenant.get());
                }
                insert.executeUpdate();
            }
            // An empty source is meant: a tenant's rebuild may leave a window with no row at all.
            statement.execute("ALTER TABLE " + target.table("span_windows") + " REPLACE PARTITION " + partition
                    + " FROM " + target.source("span_windows_staging")
                    + " SETTINGS allow_replace_partition_from_empty_source = 1");
            if (tenant.isEmpty()) {
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO window_builds (from_day, to_day, k) VALUES (toDate(?), toDate(?), ?)")) {
                    record.setString(1, window.from().toString());
                    record.setString(2, window.to().toString());
                    record.setInt(3, k);
                    record.executeUpdate();
                }
            }
        }
    }

    /** Drops the windows that end before {@code day}, and forgets them (records first: no query picks them). */
    public void dropEndingBefore(LocalDate day) throws SQLException {
        Set<Window> old = new HashSet<>();
        try (Connection connection = clickhouse.getConnection()) {
            try (PreparedStatement query = connection.prepareStatement("SELECT DISTINCT toString(from_day), "
                    + "toString(to_day) FROM span_windows WHERE to_day < toDate(?)")) {
                query.setString(1, day.toString());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        old.add(new Window(LocalDate.parse(rows.getString(1)), LocalDate.parse(rows.getString(2))));
                    }
                }
            }
            // Bookkeeping has one copy on every node, also on a cluster (like rollup_builds).
            try (PreparedStatement forget = connection.prepareStatement(
                    "ALTER TABLE window_builds DELETE WHERE to_day < toDate(?) SETTINGS mutations_sync = 2")) {
                forget.setString(1, day.toString());
                forget.executeUpdate();
            }
            try (Statement statement = connection.createStatement()) {
                for (Window window : old) {
                    statement.execute("ALTER TABLE " + target.table("span_windows") + " DROP PARTITION ('"
                            + window.from() + "', '" + window.to() + "')");
                }
            }
        }
    }

    /** Forgets every window (k changed). */
    public void reset() throws SQLException {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE window_builds");
            statement.execute("TRUNCATE TABLE " + target.table("span_windows"));
        }
    }
}
