package dev.megacuration.portal.rest;

import dev.megacuration.portal.client.AnalyticsClient;
import dev.megacuration.portal.mapping.Section;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.RegistryService;
import dev.megacuration.privacy.apitoken.ApiToken;
import dev.megacuration.privacy.apitoken.ApiTokens;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.tier.Feature;
import dev.megacuration.privacy.tier.Tier;
import dev.megacuration.privacy.tier.TierRequiredException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What authors script with, as their plan allows: personal API tokens for the analytics API (created
 * here, the secret shown once, revoked here) and exports of a bundle's rankings as CSV or JSON files
 * (fetched from analytics with the author's own token, so the tier and the threshold hold). A locked
 * feature says which plan unlocks it. Forms carry a CSRF token.
 */
@Path("/")
@RolesAllowed("author")
public class ToolsPageResource {
    private static final int EXPORT_ROWS = 10_000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(String user, String tenant, List<ApiToken> tokens, String lockedBy,
                                              String created, String csrf, String message);
    }

    private final ApiTokens tokens;
    private final TenantPlans plans;
    private final RegistryService registry;
    private final AnalyticsClient analytics;
    private final Caller caller;

    public ToolsPageResource(ApiTokens tokens, TenantPlans plans, RegistryService registry,
                             @RestClient AnalyticsClient analytics, Caller caller) {
        this.tokens = tokens;
        this.plans = plans;
        this.registry = registry;
        this.analytics = analytics;
        this.caller = caller;
    }

    @GET
    @Path("/tokens")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> tokens() {
        return page(null, null, Response.Status.OK);
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> create(@FormParam("name") String name, @FormParam("csrf") String token,
                                @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(null, FormToken.REFUSED, Response.Status.FORBIDDEN);
        }
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            return page(null, "Name the token (1 to 100 characters), to tell it apart later.",
                    Response.Status.BAD_REQUEST);
        }
        return tokens.create(caller.tenant(), name.strip(), caller.name())
                .flatMap(created -> page(created.secret(), null, Response.Status.CREATED))
                .onFailure(TierRequiredException.class).recoverWithUni(e -> page(null, e.getMessage(),
                        Response.Status.FORBIDDEN));
    }

    @POST
    @Path("/tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> revoke(@PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                                @FormParam("csrf") String token, @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(null, FormToken.REFUSED, Response.Status.FORBIDDEN);
        }
        return tokens.revoke(caller.tenant(), UUID.fromString(id)).flatMap(revoked -> revoked
                ? Uni.createFrom().item(Response.seeOther(URI.create("/tokens")).build())
                : page(null, "No active token " + id + " in your organisation.", Response.Status.NOT_FOUND));
    }

    /** A ranking of the bundle as a file, as analytics gives it to the author's plan. */
    @GET
    @Path("/bundles/{bundle}/export")
    public Uni<Response> export(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                                @QueryParam("ranking") @DefaultValue("top-expanded")
                                @Pattern(regexp = "top-expanded|stale") String ranking,
                                @QueryParam("format") @DefaultValue("csv") @Pattern(regexp = "csv|json") String format,
                                @QueryParam("window") @DefaultValue("30") @Pattern(regexp = "7|30|90|365") String window) {
        String tenant = caller.tenant();
        LocalDate to = LocalDate.now(java.time.ZoneOffset.UTC);
        LocalDate from = to.minusDays(Integer.parseInt(window) - 1L);
        boolean csv = format.equals("csv");
        return registry.bundle(tenant, bundle).flatMap(found -> found == null
                ? Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                .entity("Your organisation has no bundle " + bundle).build())
                : Section.from(analytics.export(caller.bearer(), tenant, bundle, ranking, null, from, to, EXPORT_ROWS,
                        csv ? "csv" : "json-download")).map(file -> file.ok()
                        ? Response.ok(file.value(), csv ? "text/csv" : MediaType.APPLICATION_JSON)
                        .header("Content-Disposition", "attachment; filename=\"" + bundle + "-" + ranking + "-"
                                + from + "-" + to + (csv ? ".csv" : ".json") + "\"").build()
                        : Response.status(file.locked() ? Response.Status.FORBIDDEN : Response.Status.BAD_GATEWAY)
                        .type(MediaType.TEXT_PLAIN).entity(file.locked()
                                ? "Exports are not in your plan: the " + file.lockedBy() + " plan unlocks them."
                                : file.error()).build()));
    }

    private Uni<Response> page(String created, String message, Response.Status status) {
        String tenant = caller.tenant();
        String csrf = FormToken.next();
        return plans.of(tenant).flatMap(plan -> tokens.list(tenant).map(list -> {
            String lockedBy = plan.tier().allows(Feature.API_TOKENS) ? null
                    : Tier.cheapestWith(Feature.API_TOKENS).id();
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true); // a new secret is on this page once
            return Response.status(status).type(MediaType.TEXT_HTML)
                    .entity(Templates.tokens(caller.name(), tenant, list, lockedBy, created, csrf, message))
                    .cookie(FormToken.cookie(csrf, "/tokens")).cacheControl(noStore).build();
        }));
    }
}
