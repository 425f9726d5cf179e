package dev.megacuration.analytics.mapping;

/**
 * One published cell: a span's totals in a bundle, with the number of distinct deployments behind them
 * (never below the privacy threshold). {@code spanId} is (level << 56) | index.
 */
public record SpanStat(long spanId, int level, long index, long expands, long staleReports, long deployments) {
}
