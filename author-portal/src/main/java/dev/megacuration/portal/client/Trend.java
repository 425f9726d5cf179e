package dev.megacuration.portal.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A span's or a bundle's trend from the analytics API: one point per bucket, published or a status. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Trend(Long spanId, String metric, String bucket, String tier, int minDeployments, LocalDate from,
                    LocalDate to, List<Point> points) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Point(Instant start, String status, Long expands, Long staleReports, Long deployments) {
        /** The published number of the trend's metric, or null when the bucket is not published. */
        public Long value() {
            return expands != null ? expands : staleReports;
        }
    }
}
