package dev.megacuration.analytics.mapping;

/**
 * The median and 90th percentile of ΔNLL@H (the loss change when a gist replaces its detail) over the
 * published reports that measured it: t-digest estimates, horizons of 64 to 128 tokens pooled.
 */
public record DeltaNll(Double p50, Double p90) {
}
