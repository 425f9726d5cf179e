package dev.megacuration.privacy.threshold;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The disclosure rules in plain Java: the reference that analytics' SQL must agree with, and what the
 * property tests reason about. See privacy/README.md for the method and its threat model.
 *
 * <p>Pieces are cut in three steps, each from the entries no earlier step took, each keeping a group only
 * when it has at least k distinct deployments:
 * <ol>
 *   <li>a <em>leaf</em>: (version, span, reason, hour);</li>
 *   <li>a <em>day residual</em>: (version, span, reason, day);</li>
 *   <li>a <em>cross-reason residual</em>: (version, span, day), all reasons together.</li>
 * </ol>
 * Pieces never depend on the query: every filter a query can apply (whole days, whole versions, spans,
 * reasons) keeps or drops whole pieces. A view uses the pieces that fit its grain: an hourly view leaves
 * only, a per-reason view no cross-reason residual, everything else all of them. A published cell is a sum
 * of such pieces, and only published when its deployments reach the tenant's k.
 */
public final class PieceGrid {
    private PieceGrid() {
    }

    /** One span entry as stored: which cell coordinates it has, who sent it, and the number it adds. */
    public record Entry(String version, long spanId, String reason, Instant hour, String deployment, long value) {
    }

    /** Where a piece sits on the grid, finest first. */
    public enum Level {
        LEAF, DAY_RESIDUAL, CROSS_REASON_RESIDUAL
    }

    /**
     * A piece: its entries and where it sits. {@code reason} is empty for a cross-reason residual, whose
     * entries may have several; {@code at} is the hour of a leaf and the day of a residual.
     */
    public record Piece(String version, long spanId, String reason, Instant at, Level level, List<Entry> entries) {

        /** Whether the piece belongs to a single hour (only leaves do). */
        public boolean residual() {
            return level != Level.LEAF;
        }

        /** Whether the piece belongs to a single reason (all but cross-reason residuals do). */
        public boolean ofOneReason() {
            return level != Level.CROSS_REASON_RESIDUAL;
        }

        public Set<String> deployments() {
            Set<String> set = new HashSet<>();
            entries.forEach(entry -> set.add(entry.deployment()));
            return set;
        }

        public long value() {
            return entries.stream().mapToLong(Entry::value).sum();
        }
    }

    /** A cell as a query would answer it; {@code published} false means "below threshold". */
    public record Cell(long value, Set<String> deployments, boolean published, List<Piece> pieces) {
    }

    /** Every piece the entries form at platform threshold k; leaves below k that no residual saves are absent. */
    public static List<Piece> pieces(List<Entry> entries, int k) {
        Map<List<Object>, List<Entry>> leaves = new LinkedHashMap<>();
        for (Entry entry : entries) {
            leaves.computeIfAbsent(List.of(entry.version(), entry.spanId(), entry.reason(),
                    entry.hour().truncatedTo(ChronoUnit.HOURS)), key -> new ArrayList<>()).add(entry);
        }
        List<Piece> pieces = new ArrayList<>();
        Map<List<Object>, List<Entry>> dayGroups = new LinkedHashMap<>();
        for (Map.Entry<List<Object>, List<Entry>> leaf : leaves.entrySet()) {
            Entry first = leaf.getValue().get(0);
            Instant hour = first.hour().truncatedTo(ChronoUnit.HOURS);
            if (distinct(leaf.getValue()) >= k) {
                pieces.add(new Piece(first.version(), first.spanId(), first.reason(), hour, Level.LEAF, leaf.getValue()));
            } else {
                dayGroups.computeIfAbsent(List.of(first.version(), first.spanId(), first.reason(),
                        hour.truncatedTo(ChronoUnit.DAYS)), key -> new ArrayList<>()).addAll(leaf.getValue());
            }
        }
        Map<List<Object>, List<Entry>> crossReasonGroups = new LinkedHashMap<>();
        for (List<Entry> group : dayGroups.values()) {
            Entry first = group.get(0);
            Instant day = first.hour().truncatedTo(ChronoUnit.DAYS);
            if (distinct(group) >= k) {
                pieces.add(new Piece(first.version(), first.spanId(), first.reason(), day, Level.DAY_RESIDUAL, group));
            } else {
                crossReasonGroups.computeIfAbsent(List.of(first.version(), first.spanId(), day),
                        key -> new ArrayList<>()).addAll(group);
            }
        }
        for (List<Entry> group : crossReasonGroups.values()) {
            if (distinct(group) >= k) {
                Entry first = group.get(0);
                pieces.add(new Piece(first.version(), first.spanId(), "", first.hour().truncatedTo(ChronoUnit.DAYS),
                        Level.CROSS_REASON_RESIDUAL, group));
            }
        }
        return pieces;
    }

    /**
     * The cells of a query: entries kept by {@code filter} (aligned to the grid), from the pieces that fit the
     * view ({@code usable}), grouped by {@code key}.
     * Groups whose entries formed no piece, or whose pieces have fewer than {@code tenantK} deployments
     * together, are returned unpublished (value 0, no deployments).
     */
    public static <K> Map<K, Cell> cells(List<Entry> entries, int k, int tenantK, Predicate<Entry> filter,
                                         Predicate<Piece> usable, Function<Piece, K> key,
                                         Function<Entry, K> entryKey) {
        List<Entry> selected = entries.stream().filter(filter).toList();
        Map<K, List<Piece>> grouped = new LinkedHashMap<>();
        for (Entry entry : selected) {
            grouped.computeIfAbsent(entryKey.apply(entry), any -> new ArrayList<>());
        }
        for (Piece piece : pieces(selected, k)) {
            if (!usable.test(piece)) {
                continue;
            }
            grouped.computeIfAbsent(key.apply(piece), any -> new ArrayList<>()).add(piece);
        }
        Map<K, Cell> cells = new LinkedHashMap<>();
        grouped.forEach((group, pieces) -> {
            Set<String> deployments = new HashSet<>();
            long value = 0;
            for (Piece piece : pieces) {
                deployments.addAll(piece.deployments());
                value += piece.value();
            }
            boolean published = !pieces.isEmpty() && deployments.size() >= tenantK;
            cells.put(group, published ? new Cell(value, deployments, true, pieces)
                    : new Cell(0, Set.of(), false, List.of()));
        });
        return cells;
    }

    private static int distinct(List<Entry> entries) {
        Set<String> set = new HashSet<>();
        entries.forEach(entry -> set.add(entry.deployment()));
        return set.size();
    }
}
