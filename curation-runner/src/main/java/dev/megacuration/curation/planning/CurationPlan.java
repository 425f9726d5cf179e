package dev.megacuration.curation.planning;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.megacuration.curation.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A plan as written to {@code plan.json} and stored for review: every span whose state changes, with its
 * reason and explanation, and totals over all spans (kept ones are counted by reason, not listed).
 *
 * @param kind         {@code curation} (a policy's plan) or {@code restore} (spans brought back)
 * @param matureTokens tokens old enough to be judged (the rest are new and kept)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurationPlan(UUID planId, String kind, String tenant, String bundle, String baseVersion, Instant createdAt,
                           Instant windowFrom, Instant windowTo, long matureTokens, Policy policy, Totals totals,
                           List<PlannedSpan> changes) {

    /**
     * @param byAction spans and bytes per action
     * @param byReason spans per reason (kept ones too)
     * @param byLevel  spans per level and action ({@code LOD1.compact})
     * @param byTag    spans per tag and action ({@code protected.keep})
     */
    public record Totals(long spans, long liveBytesBefore, long bytesSaved, Map<String, Count> byAction,
                         Map<String, Long> byReason, Map<String, Long> byLevel, Map<String, Long> byTag) {
    }

    public record Count(long spans, long bytes) {
    }

    public static final String CURATION = "curation";
    public static final String RESTORE = "restore";

    public boolean deletes() {
        return changes.stream().anyMatch(c -> c.action() == Action.DELETE);
    }
}
