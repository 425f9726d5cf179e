package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One span of a release in the curation feed: its expand and stale cells, each {@code published} (numbers
 * given), {@code below_threshold} or {@code none}, so a planner never mistakes a little-used span for an
 * unused one.
 */
public record SpanFeedItem(long spanId, int level, long index, ExpandCell expand, StaleCell stale) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExpandCell(CellStatus status, Long expands, Long collapses, Long deployments) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StaleCell(CellStatus status, Long reports, Long deployments) {
    }
}
