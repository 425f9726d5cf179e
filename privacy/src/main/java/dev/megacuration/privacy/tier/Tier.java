package dev.megacuration.privacy.tier;

import java.util.EnumSet;
import java.util.Set;

/**
 * A tenant's plan and what it may see. Enforced server-side in the analytics query path; the portal shows
 * the same limits. Tiers only ever widen depth, window and exports: none of them lowers k.
 */
public enum Tier {
    FREE(20, Bucket.WEEK, 30, EnumSet.noneOf(Feature.class)),
    PRO(Integer.MAX_VALUE, Bucket.DAY, 365, EnumSet.of(Feature.FULL_SPAN_LIST, Feature.DAILY_BUCKETS,
            Feature.LONG_WINDOW, Feature.EXPORT, Feature.API_TOKENS, Feature.CURATION)),
    ENTERPRISE(Integer.MAX_VALUE, Bucket.HOUR, 3 * 365, EnumSet.of(Feature.FULL_SPAN_LIST, Feature.DAILY_BUCKETS,
            Feature.HOURLY_BUCKETS, Feature.LONG_WINDOW, Feature.EXPORT, Feature.API_TOKENS,
            Feature.VERSION_BREAKDOWN, Feature.STALE_REASONS, Feature.CURATION));

    private final int maxSpans;
    private final Bucket finestBucket;
    private final int windowDays;
    private final Set<Feature> features;

    Tier(int maxSpans, Bucket finestBucket, int windowDays, Set<Feature> features) {
        this.maxSpans = maxSpans;
        this.finestBucket = finestBucket;
        this.windowDays = windowDays;
        this.features = features;
    }

    /** How many ranked spans a list may show in all (across pages). */
    public int maxSpans() {
        return maxSpans;
    }

    public Bucket finestBucket() {
        return finestBucket;
    }

    /** How many days back from today a window may start; also the tier's data retention. */
    public int windowDays() {
        return windowDays;
    }

    public boolean allows(Feature feature) {
        return features.contains(feature);
    }

    public String id() {
        return name().toLowerCase();
    }

    public static Tier fromId(String id) {
        return valueOf(id.toUpperCase());
    }

    /** The cheapest tier that has the feature. */
    public static Tier cheapestWith(Feature feature) {
        for (Tier tier : values()) {
            if (tier.allows(feature)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("no tier has " + feature);
    }

    /** The cheapest tier whose trends go down to this bucket. */
    public static Tier cheapestWith(Bucket bucket) {
        for (Tier tier : values()) {
            if (!bucket.finerThan(tier.finestBucket)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("no tier has " + bucket);
    }

    /** The cheapest tier whose window reaches this many days back, or null when none does. */
    public static Tier cheapestWithWindow(long days) {
        for (Tier tier : values()) {
            if (days <= tier.windowDays) {
                return tier;
            }
        }
        return null;
    }
}
