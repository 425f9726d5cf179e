package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/** A span's trend, or the bundle's ({@code spanId} absent): one point per bucket of the window, none left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrendResponse(String tenant, String bundle, String version, Long spanId, String metric, String bucket,
                            String tier, int minDeployments, LocalDate from, LocalDate to, List<TrendPoint> points) {
}
