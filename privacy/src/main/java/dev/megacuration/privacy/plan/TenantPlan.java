package dev.megacuration.privacy.plan;

import dev.megacuration.privacy.tier.Tier;

/** A tenant's tier and its own k (null: the platform k). */
public record TenantPlan(String tenant, Tier tier, Integer minDeployments) {

    public static TenantPlan defaultFor(String tenant) {
        return new TenantPlan(tenant, Tier.FREE, null);
    }
}
