package dev.megacuration.curation.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Set;

/**
 * A curation policy, as read from YAML (see curation-runner/README.md and {@code policy/default.yaml}).
 *
 * @param halfLifeDays    usage this many days old counts half as much as today's
 * @param windowDays      how far back usage is read
 * @param minAgeDays      spans younger than this are kept: they have had no fair chance to be used
 * @param utility         decayed expands per week below which a span counts as little used, by domain tag
 * @param partition       byte bounds per partition (one LOD2 span: 1,024 tokens and what sits above them)
 * @param tags            tag name to override: {@code never_prune} or {@code soft_delete_first}
 * @param stale           what a span reported stale, and not used, gets
 * @param paranoia        archive only until a person approves: an automatic approval never deletes
 * @param approval        {@code manual}: a person approves; {@code auto}: the policy approves its own plans
 * @param retentionDays   how long deleted spans stay in the archive (restorable) before they are dropped
 */
public record Policy(
        @JsonProperty("half_life_days") double halfLifeDays,
        @JsonProperty("window_days") int windowDays,
        @JsonProperty("min_age_days") int minAgeDays,
        Utility utility,
        Partition partition,
        Map<String, TagRule> tags,
        Stale stale,
        boolean paranoia,
        Approval approval,
        @JsonProperty("retention_days") int retentionDays) {

    /**
     * Utility thresholds: decayed expands per week.
     *
     * @param keepDeltaNll a span used (published) but below its utility keeps its detail when the median ΔNLL
     *                     of its reports reaches this: the detail measurably lowers the loss when it is
     *                     expanded (nats; null: rule off)
     */
    public record Utility(@JsonProperty("default") double defaultThreshold, Map<String, Double> domains,
                          @JsonProperty("keep_delta_nll") Double keepDeltaNll) {
        public Utility {
            domains = domains == null ? Map.of() : Map.copyOf(domains);
        }

        public Utility(double defaultThreshold, Map<String, Double> domains) {
            this(defaultThreshold, domains, null);
        }

        /** A span in several domains gets the lowest threshold of them: the one most likely to keep it. */
        public double thresholdFor(Set<String> spanTags) {
            double threshold = defaultThreshold;
            boolean found = false;
            for (String tag : spanTags) {
                Double domain = domains.get(tag);
                if (domain != null) {
                    threshold = found ? Math.min(threshold, domain) : domain;
                    found = true;
                }
            }
            return threshold;
        }
    }

    /**
     * @param minBytesSaved a partition is only rebuilt if its plan saves at least this much
     * @param maxLiveBytes  a partition still above this after the plan has its least-used spans compacted
     */
    public record Partition(@JsonProperty("min_bytes_saved") long minBytesSaved,
                            @JsonProperty("max_live_bytes") Long maxLiveBytes) {
    }

    /**
     * @param action     {@code archive} or {@code delete}
     * @param minReports published stale reports needed before a span counts as stale
     */
    public record Stale(StaleAction action, @JsonProperty("min_reports") long minReports) {
    }

    public enum TagRule {
        @JsonProperty("never_prune") NEVER_PRUNE,
        @JsonProperty("soft_delete_first") SOFT_DELETE_FIRST
    }

    public enum StaleAction {
        @JsonProperty("archive") ARCHIVE,
        @JsonProperty("delete") DELETE
    }

    public enum Approval {
        @JsonProperty("manual") MANUAL,
        @JsonProperty("auto") AUTO
    }

    public Policy {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean neverPrunes(Set<String> spanTags) {
        return spanTags.stream().anyMatch(t -> tags.get(t) == TagRule.NEVER_PRUNE);
    }

    public boolean softDeleteFirst(Set<String> spanTags) {
        return spanTags.stream().anyMatch(t -> tags.get(t) == TagRule.SOFT_DELETE_FIRST);
    }
}
