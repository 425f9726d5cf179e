package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.CurationEventView;
import dev.megacuration.portal.mapping.CurationPlanView;
import dev.megacuration.portal.mapping.PlanSummary;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.CurationService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The curation plans of a bundle, for its authors: the list, the dry-run report of one plan with its audit
 * lines, and the forms to approve or reject it (with a comment) and to roll it back. Forms carry a CSRF
 * token that must match a SameSite=Strict, HttpOnly cookie set with the page (double submit), so another
 * site cannot make an author's browser approve a plan.
 */
@Path("/bundles/{bundle}/plans")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("author")
public class CurationPageResource {
    static final String CSRF_COOKIE = FormToken.COOKIE;
    private static final int ROWS = 200;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance plans(String user, String tenant, String bundle, List<CurationPlanView> plans);

        static native TemplateInstance plan(String user, String tenant, String bundle, CurationPlanView plan,
                                            PlanSummary summary, List<CurationEventView> events, String csrf,
                                            String message);
    }

    private final CurationService curation;
    private final Caller caller;

    public CurationPageResource(CurationService curation, Caller caller) {
        this.curation = curation;
        this.caller = caller;
    }

    @GET
    public Uni<Response> plans(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle) {
        String tenant = caller.tenant();
        return notFoundAsPage(curation.list(tenant, bundle)
                .map(list -> Response.ok(Templates.plans(caller.name(), tenant, bundle, list)).build()), bundle);
    }

    @GET
    @Path("/{id}")
    public Uni<Response> plan(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                              @PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id) {
        return page(bundle, UUID.fromString(id), null, Response.Status.OK);
    }

    @POST
    @Path("/{id}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> decide(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                                @PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                                @FormParam("decision") String decision, @FormParam("comment") String comment,
                                @FormParam("csrf") String token, @CookieParam(CSRF_COOKIE) String cookie) {
        UUID plan = UUID.fromString(id);
        if (!FormToken.matches(token, cookie)) {
            return page(bundle, plan, FormToken.REFUSED,
                    Response.Status.FORBIDDEN);
        }
        if (!"approve".equals(decision) && !"reject".equals(decision)) {
            return page(bundle, plan, "Choose approve or reject.", Response.Status.BAD_REQUEST);
        }
        String note = comment == null || comment.isBlank() ? null : comment.strip();
        return afterChange(bundle, plan, curation.decide(caller.tenant(), bundle, plan, "approve".equals(decision),
                note, new CurationService.Actor(caller.name(), true)));
    }

    @POST
    @Path("/{id}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rollback(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                                  @PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                                  @FormParam("csrf") String token, @CookieParam(CSRF_COOKIE) String cookie) {
        UUID plan = UUID.fromString(id);
        if (!FormToken.matches(token, cookie)) {
            return page(bundle, plan, FormToken.REFUSED,
                    Response.Status.FORBIDDEN);
        }
        return afterChange(bundle, plan, curation.rollback(caller.tenant(), bundle, plan,
                new CurationService.Actor(caller.name(), true)));
    }

    /** After a change, back to the plan page (303, so a reload does not post again); a refused change says why. */
    private Uni<Response> afterChange(String bundle, UUID plan, Uni<CurationPlanView> change) {
        return change.map(done -> Response.seeOther(URI.create("/bundles/" + bundle + "/plans/" + plan)).build())
                .onFailure(ClientErrorException.class).recoverWithUni(e -> e instanceof NotFoundException
                        ? notFound(bundle) : page(bundle, plan, e.getMessage(), Response.Status.CONFLICT));
    }

    private Uni<Response> page(String bundle, UUID id, String message, Response.Status status) {
        String tenant = caller.tenant();
        String csrf = FormToken.next();
        Uni<Response> page = curation.get(tenant, bundle, id).flatMap(plan -> curation
                .audit(tenant, bundle, id, null, 0, 500)
                .map(events -> Response.status(status)
                        .entity(Templates.plan(caller.name(), tenant, bundle, plan, summary(plan), events, csrf, message))
                        .cookie(FormToken.cookie(csrf, "/bundles/" + bundle + "/plans"))
                        .build()));
        return notFoundAsPage(page, bundle);
    }

    private PlanSummary summary(CurationPlanView plan) {
        try {
            return PlanSummary.of(plan.document(), ROWS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored plan is always JSON", e);
        }
    }

    private Uni<Response> notFoundAsPage(Uni<Response> page, String bundle) {
        return page.onFailure(NotFoundException.class).recoverWithUni(e -> notFound(bundle));
    }

    private Uni<Response> notFound(String bundle) {
        return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND)
                .entity(PageResource.Templates.notFound(caller.name(), "plan of bundle " + bundle)).build());
    }

}
