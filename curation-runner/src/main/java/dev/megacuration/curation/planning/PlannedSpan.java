package dev.megacuration.curation.planning;

import dev.megacuration.format.SpanId;
import java.util.List;

/**
 * One span's decision, with the evidence and the rule that decided it.
 *
 * @param reason     the rule, in a few words (also the key of the dry-run report's reason totals)
 * @param bytesSaved live bytes this action removes (0 for keep; negative for restore)
 * @param explain    every step the planner took for this span, in order
 */
public record PlannedSpan(long spanId, int level, long index, Action action, String reason, long bytesSaved,
                          List<String> tags, String expandStatus, double weeklyExpands, String staleStatus,
                          long staleReports, List<String> explain) {

    public String span() {
        return SpanId.describe(spanId);
    }
}
