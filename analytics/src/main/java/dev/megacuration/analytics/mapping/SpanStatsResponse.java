package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * One page of a span ranking. {@code total} counts every published span of the ranking (what paging can
 * reach); {@code limitedByTier} says that the tenant's tier stops the list at {@code tierMaxSpans}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpanStatsResponse(String tenant, String bundle, String version, String metric, String tier,
                                int minDeployments, LocalDate from, LocalDate to, long total, int offset, int limit,
                                boolean limitedByTier, Integer tierMaxSpans, List<SpanStat> spans) {
}
