package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.tier.Tier;

/** A tenant's plan with what it includes, as the UI and the admin API show it. */
public record PlanView(String tenant, String tier, Integer minDeployments, int effectiveMinDeployments,
                       Integer maxSpans, String finestBucket, int windowDays) {

    public static PlanView of(TenantPlan plan, int effectiveK) {
        Tier tier = plan.tier();
        return new PlanView(plan.tenant(), tier.id(), plan.minDeployments(), effectiveK,
                tier.maxSpans() == Integer.MAX_VALUE ? null : tier.maxSpans(), tier.finestBucket().name().toLowerCase(),
                tier.windowDays());
    }
}
