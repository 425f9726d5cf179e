package dev.megacuration.curation.planning;

import dev.megacuration.curation.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns usage evidence, tags and a release's shape into a decision for every LOD1 and LOD2 span, under a
 * policy. The rules, in order (the explain view of each span repeats the ones it passed):
 * <ol>
 *   <li>a span with a {@code never_prune} tag (its own, or a subtree tag above it) is kept;</li>
 *   <li>a span younger than {@code min_age_days} is kept: it has not had its chance;</li>
 *   <li>a span used by fewer than k deployments is kept: below threshold is used, not unused;</li>
 *   <li>a span used at least its domain's utility (decayed expands per week) is kept, or restored if it
 *       was compacted or archived;</li>
 *   <li>a span used less, whose reports measured a median ΔNLL of at least {@code utility.keep_delta_nll},
 *       is kept too: its detail measurably lowers the loss when it is expanded;</li>
 *   <li>a span reported stale (published, at least {@code stale.min_reports}) is archived or deleted
 *       ({@code soft_delete_first} tags archive instead of delete);</li>
 *   <li>otherwise its detail goes: compacted when its gist is still seen (its parent is used, or it has
 *       no parent), archived when not even its parent is used.</li>
 * </ol>
 * Then per partition (one LOD2 span): a partition saving less than {@code min_bytes_saved} is left alone;
 * one above {@code max_live_bytes} has its least-used kept spans compacted; an LOD2 gist is archived only
 * when it is stale, unused and nothing under it keeps a gist. So a kept child always has a kept parent.
 */
public final class Planner {
    private static final int K = ReleaseShape.K;
    private final Policy policy;

    public Planner(Policy policy) {
        this.policy = policy;
    }

    /** What the planner reads: the release, its usage, its tags, and how many tokens are old enough to judge. */
    public record Input(ReleaseShape shape, UsageTable usage, SpanTags tags, long matureTokens) {
    }

    /** One decision per span, LOD1 then LOD2, in index order; the caller keeps what it needs. */
    public interface Sink {
        void accept(PlannedSpan span);
    }

    public void plan(Input in, Sink sink) {
        ReleaseShape shape = in.shape();
        long lod2 = shape.spans(2);
        long lod1 = shape.spans(1);
        List<PlannedSpan> partition = new ArrayList<>(K);
        for (long j = 0; j <= lod2; j++) {
            // j == lod2 collects the LOD1 spans past the last complete LOD2 span: they have no parent.
            boolean hasParent = j < lod2;
            boolean parentUsed = !hasParent || used(in, 2, j);
            partition.clear();
            long last = Math.min(lod1, (j + 1) * K);
            for (long i = j * K; i < last; i++) {
                partition.add(decideLod1(in, i, parentUsed, hasParent));
            }
            PlannedSpan parent = hasParent ? decideLod2(in, j, partition) : null;
            applyPartitionBounds(in, j, partition, parent, hasParent);
            if (parent != null && parent.action().removes() && partition.stream()
                    .anyMatch(c -> c.action() == Action.KEEP && shape.hasGist(1, c.index())
                            || c.action() == Action.COMPACT || c.action() == Action.RESTORE)) {
                parent = keep(in, 2, j, parent, "a span under it keeps its gist");
            }
            partition.forEach(sink::accept);
            if (parent != null) {
                sink.accept(parent);
            }
        }
    }

    /** Every decision of a plan, for tests and small bundles. */
    public List<PlannedSpan> planAll(Input in) {
        List<PlannedSpan> all = new ArrayList<>();
        plan(in, all::add);
        return all;
    }

    private PlannedSpan decideLod1(Input in, long i, boolean parentUsed, boolean hasParent) {
        List<String> why = new ArrayList<>();
        Set<String> tags = in.tags().of(1, i);
        ReleaseShape shape = in.shape();
        boolean live = shape.hasDetail(1, i);
        boolean gist = shape.hasGist(1, i);
        if (policy.neverPrunes(tags)) {
            return decision(in, 1, i, tags, live ? Action.KEEP : Action.RESTORE, "protected", why,
                    "tagged " + tags + ": never pruned");
        }
        if ((i + 1) * K > in.matureTokens()) {
            return decision(in, 1, i, tags, Action.KEEP, "new", why,
                    "younger than min_age_days (" + policy.minAgeDays() + "): not judged yet");
        }
        UsageTable usage = in.usage();
        CellStatus expand = usage.expandStatus(1, i);
        double threshold = policy.utility().thresholdFor(tags);
        if (expand == CellStatus.BELOW_THRESHOLD) {
            return decision(in, 1, i, tags, live ? Action.KEEP : Action.RESTORE, "used below threshold", why,
                    "expanded by fewer than k deployments: used, not unused");
        }
        if (expand == CellStatus.PUBLISHED && usage.weeklyExpands(1, i) >= threshold) {
            String stale = stale(in, 1, i) ? "; also reported stale: worth a review" : "";
            return decision(in, 1, i, tags, live ? Action.KEEP : Action.RESTORE, "used", why,
                    String.format("expanded %.2f/week >= utility %.2f%s", usage.weeklyExpands(1, i), threshold, stale));
        }
        why.add(expand == CellStatus.NONE ? "never expanded in the window"
                : String.format("expanded %.2f/week < utility %.2f", usage.weeklyExpands(1, i), threshold));
        Double keepNll = policy.utility().keepDeltaNll();
        Double nll = usage.deltaNll(1, i);
        if (expand == CellStatus.PUBLISHED && keepNll != null && nll != null && nll >= keepNll) {
            String stale = stale(in, 1, i) ? "; also reported stale: worth a review" : "";
            return decision(in, 1, i, tags, live ? Action.KEEP : Action.RESTORE, "detail matters", why,
                    String.format("median ΔNLL %.3f >= keep_delta_nll %.3f: its detail lowers the loss%s", nll,
                            keepNll, stale));
        }
        if (stale(in, 1, i)) {
            Action action = staleAction(tags, why);
            return gist || live ? decision(in, 1, i, tags, action, "stale", why,
                    "reported stale " + usage.staleReports(1, i) + " times")
                    : decision(in, 1, i, tags, Action.KEEP, "already archived", why, "stale and already archived");
        }
        if (parentUsed) {
            String seen = hasParent ? "its parent is used, so its gist is still seen" : "no parent: its gist is top-level";
            return live ? decision(in, 1, i, tags, Action.COMPACT, "unused detail", why, seen + ": compact")
                    : decision(in, 1, i, tags, Action.KEEP, "already compacted", why, seen + "; detail already gone");
        }
        return gist ? decision(in, 1, i, tags, Action.ARCHIVE, "unused", why, "its parent is not used either: archive")
                : decision(in, 1, i, tags, Action.KEEP, "already archived", why, "already archived");
    }

    private PlannedSpan decideLod2(Input in, long j, List<PlannedSpan> children) {
        List<String> why = new ArrayList<>();
        Set<String> tags = in.tags().of(2, j);
        if (policy.neverPrunes(tags)) {
            return decision(in, 2, j, tags, Action.KEEP, "protected", why, "tagged " + tags + ": never pruned");
        }
        if (used(in, 2, j)) {
            return decision(in, 2, j, tags, Action.KEEP, "used", why, "expanded (published at or above utility, or"
                    + " below threshold)");
        }
        if (!stale(in, 2, j)) {
            return decision(in, 2, j, tags, Action.KEEP, "gist kept", why,
                    "an LOD2 gist is the top of the tree: kept unless reported stale");
        }
        if (!in.shape().hasGist(2, j)) {
            return decision(in, 2, j, tags, Action.KEEP, "already archived", why, "already archived");
        }
        why.add("reported stale " + in.usage().staleReports(2, j) + " times and not used");
        return decision(in, 2, j, tags, staleAction(tags, why), "stale", why, "archived with its subtree");
    }

    /** min_bytes_saved and max_live_bytes of one partition; restores are never undone. */
    private void applyPartitionBounds(Input in, long j, List<PlannedSpan> children, PlannedSpan parent,
                                      boolean hasParent) {
        long saved = children.stream().mapToLong(PlannedSpan::bytesSaved).filter(b -> b > 0).sum()
                + (parent == null ? 0 : Math.max(0, parent.bytesSaved()));
        if (saved > 0 && saved < policy.partition().minBytesSaved()) {
            for (int c = 0; c < children.size(); c++) {
                if (children.get(c).action().removes()) {
                    children.set(c, keep(in, 1, children.get(c).index(), children.get(c),
                            "partition would save only " + saved + " bytes < min_bytes_saved"));
                }
            }
            return;
        }
        Long max = policy.partition().maxLiveBytes();
        if (max == null || !hasParent) {
            return;
        }
        long live = in.shape().partitionBytes(j) - saved;
        while (live > max) {
            int victim = -1;
            for (int c = 0; c < children.size(); c++) {
                PlannedSpan child = children.get(c);
                if (child.action() == Action.KEEP && "used".equals(child.reason()) && in.shape().hasDetail(1, child.index())
                        && (victim < 0 || child.weeklyExpands() < children.get(victim).weeklyExpands())) {
                    victim = c;
                }
            }
            if (victim < 0) {
                return; // nothing left that may go: protected, new, below threshold or already compact
            }
            PlannedSpan child = children.get(victim);
            List<String> why = new ArrayList<>(child.explain());
            why.add("partition holds " + live + " bytes > max_live_bytes " + max + ": least used kept span compacted");
            PlannedSpan compacted = new PlannedSpan(child.spanId(), 1, child.index(), Action.COMPACT,
                    "partition over max_live_bytes", bytes(in.shape(), 1, child.index(), Action.COMPACT), child.tags(),
                    child.expandStatus(), child.weeklyExpands(), child.staleStatus(), child.staleReports(), why);
            children.set(victim, compacted);
            live -= compacted.bytesSaved();
        }
    }

    private PlannedSpan keep(Input in, int level, long index, PlannedSpan was, String because) {
        List<String> why = new ArrayList<>(was.explain());
        why.add("was " + was.action().label() + ", kept: " + because);
        return new PlannedSpan(was.spanId(), level, index, Action.KEEP, because.startsWith("partition")
                ? "partition saves too little" : "parent of a kept span", 0, was.tags(), was.expandStatus(),
                was.weeklyExpands(), was.staleStatus(), was.staleReports(), why);
    }

    private Action staleAction(Set<String> tags, List<String> why) {
        if (policy.stale().action() == Policy.StaleAction.DELETE) {
            if (policy.softDeleteFirst(tags)) {
                why.add("soft_delete_first tag " + tags + ": archived instead of deleted");
                return Action.ARCHIVE;
            }
            return Action.DELETE;
        }
        return Action.ARCHIVE;
    }

    private boolean used(Input in, int level, long index) {
        CellStatus status = in.usage().expandStatus(level, index);
        return status == CellStatus.BELOW_THRESHOLD || status == CellStatus.PUBLISHED
                && in.usage().weeklyExpands(level, index) >= policy.utility().thresholdFor(in.tags().of(level, index));
    }

    private boolean stale(Input in, int level, long index) {
        return in.usage().staleStatus(level, index) == CellStatus.PUBLISHED
                && in.usage().staleReports(level, index) >= policy.stale().minReports();
    }

    private PlannedSpan decision(Input in, int level, long index, Set<String> tags, Action action, String reason,
                                 List<String> why, String last) {
        UsageTable usage = in.usage();
        String measured = measured(usage, level, index);
        if (measured != null) {
            why.add(measured);
        }
        why.add(last);
        return new PlannedSpan(dev.megacuration.format.SpanId.of(level, index), level, index, action, reason,
                bytes(in.shape(), level, index, action), tags.stream().sorted().toList(),
                usage.expandStatus(level, index).name().toLowerCase(), usage.weeklyExpands(level, index),
                usage.staleStatus(level, index).name().toLowerCase(), usage.staleReports(level, index), List.copyOf(why));
    }

    /** What the published reports measured about the span, for its explanation; null when nothing. */
    private static String measured(UsageTable usage, int level, long index) {
        Double residency = usage.residency(level, index);
        Double nll = usage.deltaNll(level, index);
        java.time.LocalDate seen = usage.lastSeen(level, index);
        if (residency == null && nll == null && seen == null) {
            return null; // most spans of a large plan: nothing to say, nothing to allocate
        }
        List<String> parts = new ArrayList<>(3);
        if (residency != null) {
            parts.add(String.format("residency %.2f", residency));
        }
        if (nll != null) {
            parts.add(String.format("median ΔNLL %.3f", nll));
        }
        if (seen != null) {
            parts.add("last seen " + seen);
        }
        return "measured: " + String.join(", ", parts);
    }

    /** Live bytes an action removes (negative: what a restore brings back), from what is present now. */
    static long bytes(ReleaseShape shape, int level, long index, Action action) {
        long detail = level == 1 ? shape.present()[0].presentIn(index * K, K) * ReleaseShape.TOKEN_BYTES
                : shape.present()[1].presentIn(index * K, K) * (long) shape.gistBytes();
        long gist = shape.hasGist(level, index) ? shape.gistBytes() : 0;
        return switch (action) {
            case KEEP -> 0;
            case COMPACT -> detail;
            // An archived LOD2 span takes only its own gist here: its children's actions take theirs.
            case ARCHIVE, DELETE -> level == 1 ? detail + gist : gist;
            case RESTORE -> -((long) K * shape.entryBytes(level - 1) - detail + shape.gistBytes() - gist);
        };
    }
}
