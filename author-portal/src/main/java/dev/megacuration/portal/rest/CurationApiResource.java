package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.CurationEventView;
import dev.megacuration.portal.mapping.PlanDecision;
import dev.megacuration.portal.mapping.CurationPlanView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.CurationService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Curation plans of a bundle and the audit log: the runner proposes and applies (service account, role
 * admin), authors of the tenant review. Other tenants' bundles and plans are 404.
 */
@Path("/api/tenants/{tenant}/bundles/{bundle}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"author", "admin"})
public class CurationApiResource {
    private static final String SLUG = BundleApiResource.SLUG;
    /** A UUID in its canonical form: anything else is a 400, never a failed parse. */
    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final CurationService curation;
    private final Caller caller;

    public CurationApiResource(CurationService curation, Caller caller) {
        this.curation = curation;
        this.caller = caller;
    }

    /** Submits a plan.json; 201 when new, 200 when the same plan was submitted before, 409 for another with its id. */
    @POST
    @Path("/plans")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> propose(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                 @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                 @NotNull @Size(max = 512 * 1024 * 1024) String document) {
        caller.requireTenant(tenant);
        return curation.propose(tenant, bundle, document, actor()).map(submitted -> (submitted.created()
                ? Response.created(URI.create("/api/tenants/" + tenant + "/bundles/" + bundle + "/plans/"
                + submitted.plan().id())) : Response.ok()).entity(submitted.plan()).build());
    }

    @GET
    @Path("/plans")
    public Uni<List<CurationPlanView>> plans(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                     @PathParam("bundle") @Pattern(regexp = SLUG) String bundle) {
        caller.requireTenant(tenant);
        return curation.list(tenant, bundle);
    }

    @GET
    @Path("/plans/{id}")
    public Uni<CurationPlanView> plan(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                              @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                              @PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        caller.requireTenant(tenant);
        return curation.get(tenant, bundle, UUID.fromString(id));
    }

    /** A person's approval or rejection, with a comment. */
    @POST
    @Path("/plans/{id}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CurationPlanView> decide(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                @PathParam("id") @Pattern(regexp = UUID_PATTERN) String id,
                                @NotNull @Valid PlanDecision decision) {
        caller.requireTenant(tenant);
        return curation.decide(tenant, bundle, UUID.fromString(id), decision.approve(), decision.comment(), actor());
    }

    /** The runner starts (or resumes) applying an approved plan. */
    @POST
    @Path("/plans/{id}/apply")
    public Uni<CurationPlanView> apply(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                               @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                               @PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        caller.requireTenant(tenant);
        return curation.startApply(tenant, bundle, UUID.fromString(id), actor());
    }

    /** Returns the bundle to the release before the plan. */
    @POST
    @Path("/plans/{id}/rollback")
    public Uni<CurationPlanView> rollback(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                  @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                  @PathParam("id") @Pattern(regexp = UUID_PATTERN) String id) {
        caller.requireTenant(tenant);
        return curation.rollback(tenant, bundle, UUID.fromString(id), actor());
    }

    /** The audit log, oldest first, a page at a time ({@code after} = the last id seen). */
    @GET
    @Path("/curation-events")
    public Uni<List<CurationEventView>> events(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                               @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                               @QueryParam("plan") @Pattern(regexp = UUID_PATTERN) String plan,
                                               @QueryParam("span") @Min(0) Long span,
                                               @QueryParam("after") @DefaultValue("0") @Min(0) long after,
                                               @QueryParam("limit") @DefaultValue("500") @Min(1) @Max(10_000) int limit) {
        caller.requireTenant(tenant);
        return curation.audit(tenant, bundle, plan == null ? null : UUID.fromString(plan), span, after, limit);
    }

    private CurationService.Actor actor() {
        return new CurationService.Actor(caller.name(), !caller.isServiceAccount());
    }
}
