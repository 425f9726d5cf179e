package dev.megacuration.curation.planning;

import dev.megacuration.curation.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Runs the planner over a release and collects the changes and totals of a {@link CurationPlan}. */
public final class PlanBuilder {
    private PlanBuilder() {
    }

    public record Scope(String tenant, String bundle, Instant windowFrom, Instant windowTo) {
    }

    public static CurationPlan build(Policy policy, Scope scope, Planner.Input input, Instant now) {
        List<PlannedSpan> changes = new ArrayList<>();
        Map<String, long[]> byAction = new TreeMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        Map<String, Long> byLevel = new TreeMap<>();
        Map<String, Long> byTag = new TreeMap<>();
        long[] totals = {0, 0};
        new Planner(policy).plan(input, span -> {
            totals[0]++;
            totals[1] += span.bytesSaved();
            long[] count = byAction.computeIfAbsent(span.action().label(), a -> new long[2]);
            count[0]++;
            count[1] += span.bytesSaved();
            byReason.merge(span.reason(), 1L, Long::sum);
            byLevel.merge("LOD" + span.level() + "." + span.action().label(), 1L, Long::sum);
            for (String tag : span.tags()) {
                byTag.merge(tag + "." + span.action().label(), 1L, Long::sum);
            }
            if (span.action() != Action.KEEP) {
                changes.add(span.routine() ? span.withoutExplanation() : span);
            }
        });
        Map<String, CurationPlan.Count> actions = new TreeMap<>();
        byAction.forEach((action, c) -> actions.put(action, new CurationPlan.Count(c[0], c[1])));
        long liveBefore = 0;
        for (int level = 0; level <= 2; level++) {
            liveBefore += input.shape().present()[level].presentEntries() * input.shape().entryBytes(level);
        }
        return new CurationPlan(UUID.randomUUID(), CurationPlan.CURATION, scope.tenant(), scope.bundle(), input.shape().version(), now,
                scope.windowFrom(), scope.windowTo(), input.matureTokens(), policy,
                new CurationPlan.Totals(totals[0], liveBefore, totals[1], actions, byReason, byLevel, byTag), changes);
    }
}
