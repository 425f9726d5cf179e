package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.mapping.PlanRequest;
import dev.megacuration.portal.mapping.PlanView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.privacy.tier.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Platform admins set each tenant's plan (tier and own k); every change is audited in the privacy schema. */
@Path("/api/admin/tenants/{tenant}/plan")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminPlanResource {
    private final TenantPlans plans;
    private final PrivacyThreshold threshold;
    private final Caller caller;

    public AdminPlanResource(TenantPlans plans, PrivacyThreshold threshold, Caller caller) {
        this.plans = plans;
        this.threshold = threshold;
        this.caller = caller;
    }

    @GET
    public Uni<PlanView> get(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant) {
        return plans.of(tenant).map(plan -> PlanView.of(plan, threshold.forTenant(plan.minDeployments())));
    }

    @PUT
    public Uni<PlanView> set(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                             @Valid @NotNull PlanRequest request) {
        TenantPlan plan = new TenantPlan(tenant, Tier.fromId(request.tier()), request.minDeployments());
        return plans.change(plan, caller.name())
                .map(saved -> PlanView.of(saved, threshold.forTenant(saved.minDeployments())));
    }
}
