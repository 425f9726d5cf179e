package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.mapping.Window;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where each day of a query window is read from: raw rows (an open day, or a closed one marked dirty), the
 * stored pieces of open days (an open day the refresher checked recently), the monthly sums (a whole
 * calendar month inside the window, every day of it clean), or the daily sums and stored pieces (every other
 * closed day). Each day is read from exactly one of them.
 *
 * @param live        days computed from span_reports at query time
 * @param storedDays  closed, clean days not inside a whole stored month
 * @param months      whole months of closed, clean days (first day of each)
 * @param openStored  open days read from span_open_pieces
 * @param window      a built standard window (span_windows) that holds exactly the stored days and months:
 *                    rankings read their sums from it instead (the pieces of those days stay where they are)
 */
public record DaySources(List<LocalDate> live, List<LocalDate> storedDays, List<LocalDate> months,
                         List<LocalDate> openStored, Optional<Window> window) {

    /** Every day of the window read from raw rows: what the stored aggregates must always agree with. */
    public static DaySources allLive(Window window) {
        return plan(window, Optional.empty(), Set.of(), Optional.empty());
    }

    /**
     * @param openStoredFrom the first day of the refresher's last trusted check, if any: open days from
     *                       there on are read from their stored pieces
     */
    public static DaySources plan(Window window, Optional<LocalDate> firstOpenDay, Set<LocalDate> dirty,
                                  Optional<LocalDate> openStoredFrom) {
        List<LocalDate> live = new ArrayList<>();
        List<LocalDate> stored = new ArrayList<>();
        List<LocalDate> openStored = new ArrayList<>();
        for (LocalDate day = window.from(); !day.isAfter(window.to()); day = day.plusDays(1)) {
            boolean closed = firstOpenDay.isPresent() && day.isBefore(firstOpenDay.get());
            boolean checked = openStoredFrom.isPresent() && !day.isBefore(openStoredFrom.get());
            if (closed && !dirty.contains(day)) {
                stored.add(day);
            } else if (checked && !dirty.contains(day)) {
                openStored.add(day);
            } else {
                live.add(day);
            }
        }
        Set<LocalDate> storedSet = new java.util.HashSet<>(stored);
        List<LocalDate> months = new ArrayList<>();
        List<LocalDate> rest = new ArrayList<>();
        for (LocalDate day : stored) {
            YearMonth month = YearMonth.from(day);
            boolean whole = month.atDay(1).datesUntil(month.plusMonths(1).atDay(1)).allMatch(storedSet::contains);
            if (!whole) {
                rest.add(day);
            } else if (day.getDayOfMonth() == 1) {
                months.add(day);
            }
        }
        return new DaySources(live, rest, months, openStored, Optional.empty());
    }

    /**
     * The same sources, with the window of {@code built} that holds exactly the stored days, if there is one:
     * they must run from the window's first day without a gap (a dirty day in between is read raw).
     */
    public DaySources withWindow(java.util.Set<Window> built) {
        List<LocalDate> stored = allStored();
        if (stored.isEmpty()) {
            return this;
        }
        LocalDate first = stored.get(0);
        LocalDate last = stored.get(stored.size() - 1);
        Window candidate = new Window(first, last);
        boolean gapless = java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1 == stored.size();
        return gapless && built.contains(candidate)
                ? new DaySources(live, storedDays, months, openStored, Optional.of(candidate)) : this;
    }

    /** Every stored day, whether read per day or through its month. */
    public List<LocalDate> allStored() {
        List<LocalDate> all = new ArrayList<>(storedDays);
        for (LocalDate month : months) {
            for (int d = 0; d < month.lengthOfMonth(); d++) {
                all.add(month.plusDays(d));
            }
        }
        all.sort(null);
        return all;
    }

    /**
     * A condition that {@code column} (a Date, or a DateTime when {@code dateTime}) falls on one of the days:
     * the bounding range first, so ClickHouse can skip partitions and granules, then the exact list, left out
     * when the days are the whole range (the usual case): a year's list is 4 KB of text that the JDBC driver
     * parses before sending (1-2 ms) and the server turns into a set (1-2 ms). Dates are written into the
     * text; they come from {@link LocalDate}, never from the caller.
     */
    static String condition(String column, List<LocalDate> days, boolean dateTime) {
        if (days.isEmpty()) {
            return "0";
        }
        LocalDate first = days.stream().min(LocalDate::compareTo).orElseThrow();
        LocalDate last = days.stream().max(LocalDate::compareTo).orElseThrow();
        boolean wholeRange = days.stream().distinct().count() == ChronoUnit.DAYS.between(first, last) + 1;
        String list = wholeRange ? "" : " AND " + (dateTime ? "toDate(" + column + ")" : column) + " IN ("
                + days.stream().map(day -> "'" + day + "'").collect(Collectors.joining(",")) + ")";
        if (dateTime) {
            return "(" + column + " >= toDateTime('" + first + "', 'UTC') AND " + column + " < toDateTime('"
                    + last.plusDays(1) + "', 'UTC')" + list + ")";
        }
        return "(" + column + " >= '" + first + "' AND " + column + " <= '" + last + "'" + list + ")";
    }
}
