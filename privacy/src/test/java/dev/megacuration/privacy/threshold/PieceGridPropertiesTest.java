package dev.megacuration.privacy.threshold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.megacuration.privacy.threshold.PieceGrid.Entry;
import dev.megacuration.privacy.threshold.PieceGrid.Piece;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The disclosure rules over random datasets and random queries (QuickTheories generates and shrinks): no
 * published cell under k, and no pair of queries whose difference rests on a part of a piece.
 */
class PieceGridPropertiesTest {
    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final List<String> VERSIONS = List.of("1.0.0", "2.0.0");

    /** A query as the API can ask it: whole days, optionally one version, grouped one of several ways. */
    record Query(int fromDay, int toDay, String version, int grouping) {
        Predicate<Entry> filter() {
            return entry -> {
                long day = ChronoUnit.DAYS.between(DAY0, entry.hour().truncatedTo(ChronoUnit.DAYS));
                return day >= fromDay && day <= toDay && (version == null || version.equals(entry.version()));
            };
        }

        /** The pieces that fit the view's grain: hours use leaves only, per-reason views no cross-reason piece. */
        Predicate<Piece> usable() {
            return switch (grouping) {
                case 2 -> Piece::ofOneReason;
                case 6 -> piece -> !piece.residual();
                default -> piece -> true;
            };
        }

        Function<Piece, Object> pieceKey() {
            return piece -> key(piece.version(), piece.spanId(), piece.reason(), piece.at());
        }

        Function<Entry, Object> entryKey() {
            return entry -> key(entry.version(), entry.spanId(), entry.reason(), entry.hour());
        }

        private Object key(String version, long span, String reason, Instant at) {
            long day = ChronoUnit.DAYS.between(DAY0, at.truncatedTo(ChronoUnit.DAYS));
            return switch (grouping) {
                case 0 -> List.of(span);                      // a ranking over the window
                case 1 -> List.of(span, version);             // per-version breakdown
                case 2 -> List.of(span, reason);              // stale reasons per span
                case 3 -> List.of(span, day);                 // daily trend
                case 4 -> List.of(span, day / 7);             // weekly trend
                case 6 -> List.of(span, at);                  // hourly trend
                default -> List.of("bundle total");           // one number for the bundle
            };
        }
    }

    /** Up to 300 entries over 2 versions, 4 spans, 3 reasons, 5 days of hours and 12 deployments. */
    static Gen<List<Entry>> datasets() {
        Gen<Entry> entry = Generate.intArrays(integers().between(6, 6), integers().between(0, 10_000)).map(a ->
                new Entry(VERSIONS.get(a[0] % 2), 1 + a[1] % 4, List.of("", "outdated", "wrong").get(a[2] % 3),
                        DAY0.plus(a[3] % (5 * 24), ChronoUnit.HOURS), "d" + a[4] % 12, a[5] % 51));
        return lists().of(entry).ofSizeBetween(0, 300);
    }

    static Gen<Query> queries() {
        return Generate.intArrays(integers().between(4, 4), integers().between(0, 1_000)).map(a -> new Query(
                Math.min(a[0] % 5, a[1] % 5), Math.max(a[0] % 5, a[1] % 5),
                a[2] % 3 == 2 ? null : VERSIONS.get(a[2] % 3), a[3] % 7));
    }

    @Test
    void noPublishedCellHasFewerThanKDeployments() {
        qt().withExamples(300).forAll(datasets(), queries(), integers().between(3, 6), integers().between(0, 3))
                .checkAssert((entries, query, k, raise) -> {
                    int tenantK = k + raise;
                    PieceGrid.cells(entries, k, tenantK, query.filter(), query.usable(), query.pieceKey(), query.entryKey())
                            .values().stream().filter(PieceGrid.Cell::published).forEach(cell -> {
                                assertTrue(cell.deployments().size() >= tenantK, "cell of " + cell.deployments());
                                cell.pieces().forEach(piece -> assertTrue(piece.deployments().size() >= k));
                            });
                });
    }

    @Test
    void aQueryKeepsOrDropsWholePiecesNeverPartsOfThem() {
        qt().withExamples(300).forAll(datasets(), queries(), integers().between(3, 6))
                .checkAssert((entries, query, k) -> {
                    Set<List<Object>> all = new HashSet<>();
                    PieceGrid.pieces(entries, k).stream().filter(piece -> query.filter().test(piece.entries().get(0)))
                            .forEach(piece -> all.add(identity(piece)));
                    Set<List<Object>> filtered = new HashSet<>();
                    PieceGrid.pieces(entries.stream().filter(query.filter()).toList(), k)
                            .forEach(piece -> filtered.add(identity(piece)));
                    assertEquals(all, filtered, "the pieces a query sees are exactly the dataset's pieces it covers");
                });
    }

    @Test
    void theDifferenceOfAnyTwoAnswersIsMadeOfWholePiecesOfKOrMore() {
        qt().withExamples(500).forAll(datasets(), queries(), queries(), integers().between(3, 6))
                .checkAssert((entries, a, b, k) -> {
                    // The attacker subtracts b's cells from a's (overlapping windows, all versions minus one,
                    // totals minus rows). What the difference is made of: entries in one answer, not the other.
                    Set<Entry> inA = contributing(entries, k, a);
                    Set<Entry> inB = contributing(entries, k, b);
                    Set<Entry> onlyOne = identitySet();
                    inA.stream().filter(entry -> !inB.contains(entry)).forEach(onlyOne::add);
                    inB.stream().filter(entry -> !inA.contains(entry)).forEach(onlyOne::add);
                    for (Piece piece : PieceGrid.pieces(entries, k)) {
                        long covered = piece.entries().stream().filter(onlyOne::contains).count();
                        assertTrue(covered == 0 || covered == piece.entries().size(),
                                "a difference splits a piece, which could isolate a deployment");
                        assertTrue(covered == 0 || piece.deployments().size() >= k);
                        piece.entries().forEach(onlyOne::remove);
                    }
                    assertTrue(onlyOne.isEmpty(), "every entry in a difference belongs to a whole piece");
                });
    }

    @Test
    void aLoneDeploymentIsNeverVisibleAtAll() {
        qt().withExamples(200).forAll(datasets(), queries()).checkAssert((entries, query) -> {
            // A deployment that alone used span 99 contributes to no published cell, whatever is asked.
            List<Entry> withLoner = new ArrayList<>(entries);
            withLoner.add(new Entry("1.0.0", 99, "", DAY0.plus(30, ChronoUnit.HOURS), "loner", 1234));
            assertTrue(contributing(withLoner, 3, query).stream().noneMatch(entry -> entry.spanId() == 99));
        });
    }

    @Test
    void theResidualSavesASparseDayThatNoSingleHourCouldPublish() {
        List<Entry> entries = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            entries.add(new Entry("1.0.0", 1, "", DAY0.plus(d, ChronoUnit.HOURS), "d" + d, 2));
        }
        List<Piece> pieces = PieceGrid.pieces(entries, 5);
        assertEquals(1, pieces.size());
        assertTrue(pieces.get(0).residual());
        assertEquals(12, pieces.get(0).value());
        assertTrue(PieceGrid.pieces(entries.subList(0, 4), 5).isEmpty(), "four deployments stay unpublished");
    }

    @Test
    void mixedReasonsOfOneDayArePublishedTogetherButNeverPerReason() {
        List<Entry> entries = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            entries.add(new Entry("1.0.0", 1, d < 3 ? "outdated" : "wrong", DAY0.plus(d, ChronoUnit.HOURS), "d" + d, 1));
        }
        List<Piece> pieces = PieceGrid.pieces(entries, 5);
        assertEquals(1, pieces.size());
        assertEquals(PieceGrid.Level.CROSS_REASON_RESIDUAL, pieces.get(0).level());
        Query perReason = new Query(0, 4, null, 2);
        assertTrue(contributing(entries, 5, perReason).isEmpty(), "no reason has 5 deployments");
        assertEquals(6, contributing(entries, 5, new Query(0, 4, null, 0)).size(), "the span's stale total does");
    }

    private static Set<Entry> contributing(List<Entry> entries, int k, Query query) {
        Set<Entry> set = identitySet();
        PieceGrid.cells(entries, k, k, query.filter(), query.usable(), query.pieceKey(), query.entryKey()).values().stream()
                .filter(PieceGrid.Cell::published)
                .forEach(cell -> cell.pieces().forEach(piece -> set.addAll(piece.entries())));
        return set;
    }

    private static Set<Entry> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static List<Object> identity(Piece piece) {
        return List.of(piece.version(), piece.spanId(), piece.reason(), piece.at(), piece.level(),
                piece.entries().size(), piece.value());
    }
}
