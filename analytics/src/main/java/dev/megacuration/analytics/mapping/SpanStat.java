package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/**
 * One published cell: a span's totals in a bundle over the window, with the number of distinct deployments
 * behind them (never below the tenant's k). {@code spanId} is (level << 56) | index. {@code reason} is set
 * only on a breakdown by stale reason. From the same published pieces, an expand ranking's span carries its
 * residency and swap-rate averages and ΔNLL quantiles where reports measured them, and every span the last
 * UTC day it was seen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpanStat(long spanId, int level, long index, long expands, long collapses, long staleReports,
                       long deployments, String reason, Double residency, Double swapRate, DeltaNll deltaNll,
                       LocalDate lastSeen) {
}
