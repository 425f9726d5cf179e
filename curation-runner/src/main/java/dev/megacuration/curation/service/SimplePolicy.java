package dev.megacuration.curation.service;

import dev.megacuration.curation.client.SpanStats;
import dev.megacuration.curation.mapping.PlannedSpan;
import dev.megacuration.curation.mapping.PlannedSpan.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first curation policy: every span consumers expand is kept (the PRD's "keep what is used"), and a span
 * reported stale that nobody expands is compacted to its gist. Spans with no published stats are not in the
 * plan at all: absence of evidence (or evidence under the privacy threshold) never triggers pruning.
 */
public final class SimplePolicy {

    public List<PlannedSpan> plan(SpanStats expanded, SpanStats stale) {
        Map<Long, PlannedSpan> plan = new LinkedHashMap<>();
        for (SpanStats.Span span : expanded.spans()) {
            plan.put(span.spanId(), new PlannedSpan(Action.KEEP, span.spanId(), span.level(), span.index(),
                    span.expands(), 0, span.deployments(), "expanded by " + span.deployments() + " deployments"));
        }
        for (SpanStats.Span span : stale.spans()) {
            PlannedSpan kept = plan.get(span.spanId());
            if (kept != null) {
                plan.put(span.spanId(), new PlannedSpan(Action.KEEP, kept.spanId(), kept.level(), kept.index(),
                        kept.expands(), span.staleReports(), Math.max(kept.deployments(), span.deployments()),
                        "expanded and reported stale: review"));
            } else {
                plan.put(span.spanId(), new PlannedSpan(Action.COMPACT, span.spanId(), span.level(), span.index(),
                        0, span.staleReports(), span.deployments(),
                        "reported stale by " + span.deployments() + " deployments, never expanded"));
            }
        }
        List<PlannedSpan> ordered = new ArrayList<>(plan.values());
        ordered.sort(Comparator.comparing(PlannedSpan::action).thenComparing(PlannedSpan::spanId));
        return ordered;
    }
}
