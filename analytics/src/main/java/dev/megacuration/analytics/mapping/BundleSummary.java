package dev.megacuration.analytics.mapping;

import java.time.LocalDate;

/**
 * How much of a release its users touch over the window. Spans count as expanded when their expand cell is
 * published (k or more deployments), below threshold when fewer used them, never when nobody did.
 * {@code bytesBehindNeverExpanded} is the LOD0 token bytes (4 per token) under LOD1 spans nobody expanded.
 */
public record BundleSummary(String tenant, String bundle, String version, String tier, int minDeployments,
                            LocalDate from, LocalDate to, Level lod1, Level lod2, long bytesBehindNeverExpanded) {

    /** One gist level's coverage. */
    public record Level(long spans, long expanded, long belowThreshold, long neverExpanded, double expandedShare,
                        double neverExpandedShare) {

        public static Level of(long spans, long expanded, long belowThreshold) {
            long never = spans - expanded - belowThreshold;
            return new Level(spans, expanded, belowThreshold, never, share(expanded, spans), share(never, spans));
        }

        private static double share(long part, long whole) {
            return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
        }
    }
}
