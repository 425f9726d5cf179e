package dev.megacuration.analytics.mapping;

import java.util.List;

/** The answer of a span query; {@code minDeployments} tells the reader which threshold was applied. */
public record SpanStatsResponse(String tenant, String bundle, String version, String metric, int minDeployments,
                                List<SpanStat> spans) {
}
