package dev.megacuration.privacy.tier;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** The checks every query makes against the tenant's tier before anything is read. */
public final class TierPolicy {
    private TierPolicy() {
    }

    public static void require(Tier tier, Feature feature) {
        if (!tier.allows(feature)) {
            throw new TierRequiredException(capitalised(feature.description()), tier, Tier.cheapestWith(feature));
        }
    }

    public static void requireBucket(Tier tier, Bucket bucket) {
        if (bucket.finerThan(tier.finestBucket())) {
            throw new TierRequiredException(capitalised(bucket.name().toLowerCase()) + " buckets", tier,
                    Tier.cheapestWith(bucket));
        }
    }

    /**
     * A window may start no earlier than {@code windowDays - 1} days before today (so "30 days" is today and
     * the 29 before it). Returns normally or throws; a window beyond every tier is the caller's 400.
     */
    public static void requireWindow(Tier tier, LocalDate from, LocalDate today) {
        long days = ChronoUnit.DAYS.between(from, today) + 1;
        if (days > tier.windowDays()) {
            Tier needed = Tier.cheapestWithWindow(days);
            if (needed == null) {
                throw new IllegalArgumentException("windows reach back at most " + Tier.ENTERPRISE.windowDays()
                        + " days");
            }
            throw new TierRequiredException("A window of " + days + " days", tier, needed);
        }
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
