package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One bucket of a span's trend; the numbers are present only when the bucket is published. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrendPoint(Instant start, CellStatus status, Long expands, Long staleReports, Long deployments) {

    public static TrendPoint unpublished(Instant start, CellStatus status) {
        return new TrendPoint(start, status, null, null, null);
    }
}
