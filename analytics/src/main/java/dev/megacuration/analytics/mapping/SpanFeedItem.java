package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/**
 * One span of a release in the curation feed: its expand and stale cells, each {@code published} (numbers
 * given), {@code below_threshold} or {@code none}, so a planner never mistakes a little-used span for an
 * unused one.
 */
public record SpanFeedItem(long spanId, int level, long index, ExpandCell expand, StaleCell stale) {

    /**
     * Numbers only when {@code published}. {@code residency} (share of the time the detail stayed expanded)
     * and {@code swapRate} are averages, {@code deltaNll} the median and 90th percentile of the loss change
     * when the gist replaces the detail; each left out when no published report measured it. {@code lastSeen}
     * is the last UTC day with a published piece.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExpandCell(CellStatus status, Long expands, Long collapses, Long deployments, Double residency,
                             Double swapRate, DeltaNll deltaNll, LocalDate lastSeen) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StaleCell(CellStatus status, Long reports, Long deployments, LocalDate lastSeen) {
    }
}
