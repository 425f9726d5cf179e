package dev.megacuration.curation.planning;

import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.rebuild.Removal;
import java.util.ArrayList;
import java.util.List;

/** The entries a plan's actions take out of the live files (docs/ctx-format.md, block alignment). */
public final class PlanRemovals {
    private static final int K = ReleaseShape.K;

    private PlanRemovals() {
    }

    /**
     * @param deletesAsArchive paranoia without a person's approval: deletes are carried out as archives
     */
    public static List<Removal> of(List<PlannedSpan> changes, boolean deletesAsArchive) {
        List<Removal> removals = new ArrayList<>();
        for (PlannedSpan span : changes) {
            ArchivedRun.Action action = switch (span.action()) {
                case COMPACT -> ArchivedRun.Action.COMPACT;
                case ARCHIVE -> ArchivedRun.Action.ARCHIVE;
                case DELETE -> deletesAsArchive ? ArchivedRun.Action.ARCHIVE : ArchivedRun.Action.DELETE;
                default -> null;
            };
            if (action == null) {
                continue;
            }
            long i = span.index();
            if (span.level() == 1) {
                removals.add(new Removal(span.spanId(), action, 0, i * K, K));
                if (action != ArchivedRun.Action.COMPACT) {
                    removals.add(new Removal(span.spanId(), action, 1, i, 1));
                }
            } else {
                if (action == ArchivedRun.Action.COMPACT) {
                    removals.add(new Removal(span.spanId(), action, 1, i * K, K));
                    removals.add(new Removal(span.spanId(), action, 0, i * K * K, (long) K * K));
                } else {
                    removals.add(new Removal(span.spanId(), action, 2, i, 1));
                }
            }
        }
        return removals;
    }
}
