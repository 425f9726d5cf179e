package dev.megacuration.curation.planning;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.megacuration.format.SpanId;
import java.util.List;

/**
 * One span's decision, with the evidence and the rule that decided it.
 *
 * @param reason     the rule, in a few words (also the key of the dry-run report's reason totals)
 * @param bytesSaved live bytes this action removes (0 for keep; negative for restore)
 * @param explain    every step the planner took for this span, in order (left out of plan.json for the routine
 *                   "unused" decisions, which are most of a large plan; {@code plan --explain} recomputes it)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlannedSpan(long spanId, int level, long index, Action action, String reason, long bytesSaved,
                          List<String> tags, String expandStatus, double weeklyExpands, String staleStatus,
                          long staleReports, List<String> explain) {

    /** The same decision without its explanation. */
    public PlannedSpan withoutExplanation() {
        return new PlannedSpan(spanId, level, index, action, reason, bytesSaved, tags, expandStatus, weeklyExpands,
                staleStatus, staleReports, List.of());
    }

    /** Whether this is one of the routine decisions (nobody uses the span) that make up most of a large plan. */
    public boolean routine() {
        return "unused".equals(reason) || "unused detail".equals(reason);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public String span() {
        return SpanId.describe(spanId);
    }
}
