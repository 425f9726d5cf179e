package dev.megacuration.portal.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plan page shows of a plan document: totals by action and by reason, and the first changed spans
 * with their explanation, the unusual decisions (stale, restore, partition limits) before the routine ones (the whole list is in the document, for plans of hundreds of thousands of spans).
 */
public record PlanSummary(List<Total> byAction, List<Count> byReason, List<Change> changes, long moreChanges,
                          long liveBytesBefore, long bytesSaved) {

    private static final java.util.Set<String> ROUTINE = java.util.Set.of("unused", "unused detail");

    public record Total(String action, long spans, long bytes) {
    }

    public record Count(String key, long spans) {
    }

    public record Change(long spanId, String span, String action, String reason, long bytesSaved, String tags,
                         String expand, List<String> explain) {
    }

    /** From the stored document, streamed: only the totals and the rows shown are ever held. */
    public static PlanSummary of(String document, int rows) throws java.io.IOException {
        JsonNode totals = dev.megacuration.portal.service.PlanDocument.totals(document);
        List<Total> actions = new ArrayList<>();
        totals.path("byAction").fields().forEachRemaining(e -> actions.add(new Total(e.getKey(),
                e.getValue().path("spans").asLong(), e.getValue().path("bytes").asLong())));
        List<Count> reasons = new ArrayList<>();
        totals.path("byReason").fields().forEachRemaining(e -> reasons.add(new Count(e.getKey(), e.getValue().asLong())));
        List<Change> changes = new ArrayList<>();
        // The decisions a reviewer must look at first: anything but the routine "nobody uses it" ones.
        List<JsonNode> unusual = new ArrayList<>();
        List<JsonNode> routine = new ArrayList<>();
        long[] count = {0};
        dev.megacuration.portal.service.PlanDocument.forEachChange(document, c -> {
            count[0]++;
            List<JsonNode> kept = ROUTINE.contains(c.path("reason").asText()) ? routine : unusual;
            if (kept.size() < rows) {
                kept.add(c);
            }
        });
        List<JsonNode> ordered = new ArrayList<>(unusual);
        ordered.addAll(routine);
        for (int i = 0; i < Math.min(rows, ordered.size()); i++) {
            JsonNode c = ordered.get(i);
            List<String> explain = new ArrayList<>();
            c.path("explain").forEach(line -> explain.add(line.asText()));
            List<String> tags = new ArrayList<>();
            c.path("tags").forEach(tag -> tags.add(tag.asText()));
            String expand = c.path("expandStatus").asText("none");
            changes.add(new Change(c.path("spanId").asLong(), "L" + c.path("level").asInt() + ":" + c.path("index").asLong(),
                    c.path("action").asText().toLowerCase(), c.path("reason").asText(), c.path("bytesSaved").asLong(),
                    String.join(", ", tags), expand.equals("published")
                    ? String.format("%.2f/week", c.path("weeklyExpands").asDouble())
                    : expand.equals("below_threshold") ? "fewer than k deployments" : expand, explain));
        }
        return new PlanSummary(actions, reasons, changes, Math.max(0, count[0] - changes.size()),
                totals.path("liveBytesBefore").asLong(), totals.path("bytesSaved").asLong());
    }
}
