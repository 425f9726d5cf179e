package dev.megacuration.curation.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.curation.policy.Policy;
import dev.megacuration.curation.policy.PolicyLoader;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.rebuild.Progress;
import dev.megacuration.format.rebuild.RebuildRequest;
import dev.megacuration.format.rebuild.RebuildResult;
import dev.megacuration.format.rebuild.ReleaseRebuild;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
    private static final int GIST = 32; // 16 dims of fp16
    private static final long TOKENS = 4 * 1024 + 64; // four partitions and two parentless LOD1 spans

    @TempDir
    Path dir;

    private final Policy policy = PolicyLoader.defaults();

    @Test
    void eachRuleDecidesAsDocumented() {
        ReleaseShape shape = ReleaseShape.dense("1.0.0", TOKENS, GIST);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        SpanTags tags = new SpanTags();
        // Partition 0: parent used. Child 0 used, 1 below k, 2 unused (compact), 3 stale, 4 protected.
        usage.expand(2, 0, CellStatus.PUBLISHED, 3.0);
        usage.expand(1, 0, CellStatus.PUBLISHED, 1.0);
        usage.expand(1, 1, CellStatus.BELOW_THRESHOLD, 0);
        usage.expand(1, 2, CellStatus.PUBLISHED, 0.1);
        usage.stale(1, 3, CellStatus.PUBLISHED, 4);
        tags.add(SpanId.of(1, 4), "protected", false);
        // Partition 1: nothing used: every child archived, the LOD2 gist kept (the top of the tree).
        // Partition 2: a subtree tag protects all of it.
        tags.add(SpanId.of(2, 2), "legal-hold", true);
        // Partition 3: a reference span (low domain threshold) and a stale LOD2 span that keeps a child.
        tags.add(SpanId.of(1, 96), "reference", false);
        usage.expand(1, 96, CellStatus.PUBLISHED, 0.1);
        usage.stale(2, 3, CellStatus.PUBLISHED, 9);

        Policy anySaving = with(policy, "partition", new Policy.Partition(0, null));
        Map<Long, PlannedSpan> plan = byId(new Planner(anySaving).planAll(new Planner.Input(shape, usage, tags, TOKENS)));
        assertEquals(shape.spans(1) + shape.spans(2), plan.size(), "a decision for every span");
        assertDecision(plan, 1, 0, Action.KEEP, "used");
        assertDecision(plan, 1, 1, Action.KEEP, "used below threshold");
        assertDecision(plan, 1, 2, Action.COMPACT, "unused detail");
        assertDecision(plan, 1, 3, Action.ARCHIVE, "stale");
        assertDecision(plan, 1, 4, Action.KEEP, "protected");
        assertDecision(plan, 1, 5, Action.COMPACT, "unused detail");
        assertDecision(plan, 1, 40, Action.ARCHIVE, "unused");
        assertDecision(plan, 2, 1, Action.KEEP, "gist kept");
        for (long i = 64; i < 96; i++) {
            assertDecision(plan, 1, i, Action.KEEP, "protected");
        }
        assertDecision(plan, 1, 96, Action.KEEP, "used");
        assertDecision(plan, 2, 3, Action.KEEP, "parent of a kept span");
        assertDecision(plan, 1, 128, Action.COMPACT, "unused detail"); // no parent: its gist is top-level
        assertEquals(128, plan.get(SpanId.of(1, 2)).bytesSaved());
        assertEquals(128 + GIST, plan.get(SpanId.of(1, 40)).bytesSaved());
        assertTrue(plan.get(SpanId.of(1, 2)).explain().get(0).contains("0.10/week < utility 0.25"));
    }

    @Test
    void detailThatLowersTheLossIsKeptEvenBelowUtility() {
        ReleaseShape shape = ReleaseShape.dense("1.0.0", TOKENS, GIST);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        usage.expand(2, 0, CellStatus.PUBLISHED, 3.0);
        // Three little-used spans: ΔNLL at the policy's 0.5, just under it, and not measured.
        for (long i = 0; i < 3; i++) {
            usage.expand(1, i, CellStatus.PUBLISHED, 0.1);
        }
        java.time.LocalDate seen = java.time.LocalDate.parse("2026-11-20");
        usage.measured(1, 0, 0.8, 0.5, seen);
        usage.measured(1, 1, 0.8, 0.49, seen);
        usage.measured(1, 2, null, null, seen);

        Map<Long, PlannedSpan> plan = byId(new Planner(policy).planAll(new Planner.Input(shape, usage, new SpanTags(),
                TOKENS)));
        assertDecision(plan, 1, 0, Action.KEEP, "detail matters");
        assertDecision(plan, 1, 1, Action.COMPACT, "unused detail");
        assertDecision(plan, 1, 2, Action.COMPACT, "unused detail");
        assertTrue(plan.get(SpanId.of(1, 0)).explain().contains(
                "measured: residency 0.80, median ΔNLL 0.500, last seen 2026-11-20"), plan.get(SpanId.of(1, 0)).explain()
                .toString());
        assertTrue(plan.get(SpanId.of(1, 2)).explain().contains("measured: last seen 2026-11-20"));

        // The rule is the policy's: switched off, the same span's detail goes.
        Policy off = with(policy, "utility", new Policy.Utility(0.25, Map.of(), null));
        assertDecision(byId(new Planner(off).planAll(new Planner.Input(shape, usage, new SpanTags(), TOKENS))), 1, 0,
                Action.COMPACT, "unused detail");
    }

    @Test
    void newSpansAndDeletePoliciesAndPartitionBounds() throws Exception {
        ReleaseShape shape = ReleaseShape.dense("1.0.0", TOKENS, GIST);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        SpanTags tags = new SpanTags().add(SpanId.of(1, 7), "drafts", false);
        usage.stale(1, 6, CellStatus.PUBLISHED, 2);
        usage.stale(1, 7, CellStatus.PUBLISHED, 2);
        Policy deleting = with(policy, "stale", new Policy.Stale(Policy.StaleAction.DELETE, 1));
        Map<Long, PlannedSpan> plan = byId(new Planner(deleting).planAll(new Planner.Input(shape, usage, tags, 2048)));
        assertDecision(plan, 1, 6, Action.DELETE, "stale");
        assertDecision(plan, 1, 7, Action.ARCHIVE, "stale"); // soft_delete_first
        assertDecision(plan, 1, 70, Action.KEEP, "new"); // tokens past the 2,048 old enough to judge

        // A partition whose plan saves too little is left alone.
        Policy frugal = with(policy, "partition", new Policy.Partition(1_000_000, null));
        Map<Long, PlannedSpan> none = byId(new Planner(frugal).planAll(new Planner.Input(shape, usage, tags, TOKENS)));
        assertTrue(none.values().stream().noneMatch(s -> s.action().removes()));

        // A partition above max_live_bytes loses its least-used kept spans' detail first.
        UsageTable busy = new UsageTable(shape.spans(1), shape.spans(2));
        for (int i = 0; i < 32; i++) {
            busy.expand(1, i, CellStatus.PUBLISHED, 1 + i);
        }
        long full = shape.partitionBytes(0);
        Policy tight = with(policy, "partition", new Policy.Partition(0, full - 300));
        Map<Long, PlannedSpan> squeezed = byId(new Planner(tight).planAll(new Planner.Input(shape, busy, new SpanTags(),
                TOKENS)));
        assertDecision(squeezed, 1, 0, Action.COMPACT, "partition over max_live_bytes");
        assertDecision(squeezed, 1, 1, Action.COMPACT, "partition over max_live_bytes");
        assertDecision(squeezed, 1, 2, Action.COMPACT, "partition over max_live_bytes");
        assertDecision(squeezed, 1, 3, Action.KEEP, "used");
    }

    @Test
    void planAppliedToARealReleaseVerifiesAndUsedCompactedSpansComeBack() throws Exception {
        Path base = dir.resolve("base");
        BundleFiles.Verified release = new DemoBundleGenerator(TOKENS, 16, "demo", 1).writeTo(base);
        ReleaseShape shape = ReleaseShape.of("1.0.0", release);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        usage.expand(2, 0, CellStatus.PUBLISHED, 5);
        usage.expand(1, 0, CellStatus.PUBLISHED, 5);
        usage.stale(2, 1, CellStatus.PUBLISHED, 3);
        CurationPlan plan = PlanBuilder.build(policy, new PlanBuilder.Scope("t", "b", null, null),
                new Planner.Input(shape, usage, new SpanTags(), TOKENS), Instant.now());
        RebuildResult curated = ReleaseRebuild.rebuild(base, dir.resolve("v2"), new RebuildRequest(plan.planId(),
                "1.0.0", PlanRemovals.of(plan.changes(), false), Set.of(), Instant.now(), null), Progress.NONE);
        assertEquals(plan.totals().bytesSaved(), plan.totals().liveBytesBefore() - payload(curated.verified()),
                "the plan's byte totals are what the rebuild removes");
        assertEquals("archive", plan.changes().stream().filter(s -> s.spanId() == SpanId.of(2, 1)).findFirst()
                .orElseThrow().action().label(), "a stale, unused LOD2 span with no kept child goes");

        // Usage shifts: span 5 of partition 0 (compacted) is now used: the next plan restores it.
        ReleaseShape after = ReleaseShape.of("1.0.0+c1", curated.verified());
        assertFalse(after.hasDetail(1, 5));
        usage.expand(1, 5, CellStatus.PUBLISHED, 2);
        Map<Long, PlannedSpan> next = byId(new Planner(policy).planAll(new Planner.Input(after, usage, new SpanTags(),
                TOKENS)));
        assertDecision(next, 1, 5, Action.RESTORE, "used");
        assertEquals(-128, next.get(SpanId.of(1, 5)).bytesSaved());
        assertDecision(next, 1, 6, Action.KEEP, "already compacted");
    }

    private static long payload(BundleFiles.Verified verified) {
        return verified.levels().stream().mapToLong(l -> l.index().presentEntries() * l.header().entryBytes()).sum();
    }

    private static void assertDecision(Map<Long, PlannedSpan> plan, int level, long index, Action action, String reason) {
        PlannedSpan span = plan.get(SpanId.of(level, index));
        assertEquals(action + "/" + reason, span.action() + "/" + span.reason(), span.span() + ": " + span.explain());
    }

    private static Map<Long, PlannedSpan> byId(List<PlannedSpan> spans) {
        return spans.stream().collect(Collectors.toMap(PlannedSpan::spanId, Function.identity()));
    }

    static Policy with(Policy p, String key, Object value) {
        return new Policy(p.halfLifeDays(), p.windowDays(), p.minAgeDays(),
                key.equals("utility") ? (Policy.Utility) value : p.utility(),
                key.equals("partition") ? (Policy.Partition) value : p.partition(), p.tags(),
                key.equals("stale") ? (Policy.Stale) value : p.stale(), p.paranoia(), p.approval(), p.retentionDays());
    }
}
