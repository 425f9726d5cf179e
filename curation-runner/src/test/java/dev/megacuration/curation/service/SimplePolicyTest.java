package dev.megacuration.curation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.megacuration.curation.client.SpanStats;
import dev.megacuration.curation.mapping.PlannedSpan;
import dev.megacuration.curation.mapping.PlannedSpan.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimplePolicyTest {
    private static SpanStats stats(SpanStats.Span... spans) {
        return new SpanStats("acme", "demo", null, "x", 5, List.of(spans));
    }

    private static SpanStats.Span span(long id, long expands, long stale, long deployments) {
        return new SpanStats.Span(id, 1, id, expands, stale, deployments);
    }

    @Test
    void keepsExpandedCompactsStaleOnlyAndLeavesUnknownSpansAlone() {
        List<PlannedSpan> plan = new SimplePolicy().plan(
                stats(span(1, 40, 0, 6), span(2, 3, 0, 5)),
                stats(span(2, 0, 4, 5), span(3, 0, 9, 7)));

        assertEquals(3, plan.size());
        assertEquals(Action.KEEP, plan.get(0).action());
        assertEquals(1, plan.get(0).spanId());
        assertEquals(Action.KEEP, plan.get(1).action());
        assertEquals(2, plan.get(1).spanId());
        assertEquals(4, plan.get(1).staleReports(), "a kept span still shows its stale reports");
        assertEquals(Action.COMPACT, plan.get(2).action());
        assertEquals(3, plan.get(2).spanId());
    }

    @Test
    void nothingPublishedMeansNothingPlanned() {
        assertEquals(List.of(), new SimplePolicy().plan(stats(), stats()));
    }
}
