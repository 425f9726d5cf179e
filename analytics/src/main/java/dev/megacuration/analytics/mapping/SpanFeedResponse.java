package dev.megacuration.analytics.mapping;

import java.time.LocalDate;
import java.util.List;

/** One page of a release's spans, LOD1 then LOD2, every span present whatever its status. */
public record SpanFeedResponse(String tenant, String bundle, String version, String tier, int minDeployments,
                               LocalDate from, LocalDate to, long total, long offset, int limit,
                               List<SpanFeedItem> spans) {
}
