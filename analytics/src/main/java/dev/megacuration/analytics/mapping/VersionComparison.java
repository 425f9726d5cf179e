package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * A span's use in two releases side by side. Each side is a published number or a status; the change is
 * given only where both sides are published (a difference of two published cells, so nothing below k).
 */
public record VersionComparison(String tenant, String bundle, String base, String target, String metric,
                                int minDeployments, LocalDate from, LocalDate to, List<Row> spans) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(long spanId, int level, long index, CellStatus baseStatus, Long baseValue,
                      CellStatus targetStatus, Long targetValue, Long change) {
    }
}
