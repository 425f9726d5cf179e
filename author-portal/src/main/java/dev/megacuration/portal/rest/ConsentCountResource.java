package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.privacy.consent.ConsentCounts;
import dev.megacuration.privacy.consent.ConsentCounts.BundleConsent;
import dev.megacuration.privacy.plan.TenantPlans;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** How many deployments share usage of each of a tenant's bundles: counts under k, never identities. */
@Path("/api/tenants/{tenant}/consent")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"author", "admin"})
public class ConsentCountResource {
    private final ConsentCounts counts;
    private final TenantPlans plans;
    private final Caller caller;

    public ConsentCountResource(ConsentCounts counts, TenantPlans plans, Caller caller) {
        this.counts = counts;
        this.plans = plans;
        this.caller = caller;
    }

    @GET
    public Uni<List<BundleConsent>> counts(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant) {
        caller.requireTenant(tenant);
        return plans.of(tenant).flatMap(plan -> counts.of(tenant, plan.minDeployments()));
    }
}
