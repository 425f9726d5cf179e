package dev.megacuration.portal.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;
import java.util.List;

/** Two releases side by side: each side a published number or a status, the change only where both are. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Comparison(String base, String target, String metric, int minDeployments, LocalDate from, LocalDate to,
                         List<Row> spans) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Row(long spanId, int level, long index, String baseStatus, Long baseValue, String targetStatus,
                      Long targetValue, Long change) {
    }
}
