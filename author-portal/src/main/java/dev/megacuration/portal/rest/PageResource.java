package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.BundleRow;
import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.privacy.consent.ConsentCounts;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.DashboardService;
import dev.megacuration.portal.service.RegistryService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The portal's HTML pages (authorization-code login; see application.properties). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(String user, boolean author, boolean consumer, boolean admin);

        static native TemplateInstance bundles(String user, String tenant, List<BundleRow> bundles, int k,
                                               String everyBundle);

        static native TemplateInstance bundle(String user, String tenant, DashboardService.Dashboard view);

        static native TemplateInstance span(String user, String tenant, DashboardService.SpanPage view);

        static native TemplateInstance notFound(String user, String what);

        static native TemplateInstance sessionExpired(String user);
    }

    private static final String VERSION = ReleaseKey.VERSION;
    private static final String WINDOW = "7|30|90|365";

    private final RegistryService registry;
    private final DashboardService dashboards;
    private final TenantPlans plans;
    private final ConsentCounts consents;
    private final PrivacyThreshold threshold;
    private final Caller caller;

    public PageResource(RegistryService registry, DashboardService dashboards, TenantPlans plans,
                        ConsentCounts consents, PrivacyThreshold threshold, Caller caller) {
        this.registry = registry;
        this.dashboards = dashboards;
        this.plans = plans;
        this.consents = consents;
        this.threshold = threshold;
        this.caller = caller;
    }

    @GET
    @PermitAll
    public TemplateInstance index() {
        if (caller.isAnonymous()) {
            return Templates.index(null, false, false, false);
        }
        return Templates.index(caller.name(), caller.hasRole("author"), caller.hasRole("consumer"),
                caller.hasRole("admin"));
    }

    /**
     * Where OIDC sends a browser whose session can no longer be refreshed (Keycloak ended it: idle, max
     * lifespan, logout elsewhere, revoked). The session cookie is already gone; say so instead of
     * bouncing silently through the login page.
     */
    @GET
    @Path("/session-expired")
    @PermitAll
    public TemplateInstance sessionExpired() {
        return Templates.sessionExpired(null);
    }

    /** The organisation's bundles: versions, consent counts (aggregate, thresholded) and data freshness. */
    @GET
    @Path("/bundles")
    @RolesAllowed("author")
    public Uni<TemplateInstance> bundles() {
        String tenant = caller.tenant();
        return registry.bundlesOf(tenant).flatMap(list -> plans.of(tenant).flatMap(plan -> consents
                .of(tenant, plan.minDeployments()).flatMap(counts -> dashboards.freshness(caller.bearer(), list)
                        .map(fresh -> {
                            int k = threshold.forTenant(plan.minDeployments());
                            java.util.Map<String, ConsentCounts.BundleConsent> byBundle = new java.util.HashMap<>();
                            counts.forEach(c -> byBundle.put(c.bundle(), c));
                            List<BundleRow> rows = new java.util.ArrayList<>();
                            for (int i = 0; i < list.size(); i++) {
                                BundleView b = list.get(i);
                                ConsentCounts.BundleConsent c = byBundle.get(b.name());
                                rows.add(new BundleRow(b.name(), b.releases().stream().map(r -> r.version()).toList(),
                                        c == null ? "none" : c.status(), c == null ? null : c.optedIn(), fresh.get(i)));
                            }
                            ConsentCounts.BundleConsent all = byBundle.get("*");
                            String every = all == null ? null : all.optedIn() != null ? all.optedIn() + " deployments"
                                    : "below_threshold".equals(all.status()) ? "fewer than " + k + " deployments" : null;
                            return Templates.bundles(caller.name(), tenant, rows, k, every);
                        }))));
    }

    /**
     * The bundle dashboard: top-expanded and stale spans, the bundle's trends, coverage of a release and a
     * version comparison, filtered by version and window (a plain GET form: works without script).
     */
    @GET
    @Path("/bundles/{bundle}")
    @RolesAllowed("author")
    public Uni<Response> bundle(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String name,
                                @QueryParam("version") @Pattern(regexp = VERSION) String version,
                                @QueryParam("window") @DefaultValue("30") @Pattern(regexp = WINDOW) String window,
                                @QueryParam("base") @Pattern(regexp = VERSION) String base,
                                @QueryParam("target") @Pattern(regexp = VERSION) String target) {
        String tenant = caller.tenant();
        return registry.bundle(tenant, name).flatMap(bundle -> bundle == null
                ? Uni.createFrom().item(notFound("bundle " + name))
                : dashboards.dashboard(caller.bearer(), bundle, new DashboardService.Filter(blankToNull(version),
                        Integer.parseInt(window), blankToNull(base), blankToNull(target)))
                .map(view -> Response.ok(Templates.bundle(caller.name(), tenant, view)).build()));
    }

    /** One span: where it sits, its numbers and trends, its tags and its curation history. */
    @GET
    @Path("/bundles/{bundle}/spans/{spanId}")
    @RolesAllowed("author")
    public Uni<Response> span(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String name,
                              @PathParam("spanId") @Pattern(regexp = "[0-9]{1,20}") String spanId,
                              @QueryParam("window") @DefaultValue("30") @Pattern(regexp = WINDOW) String window) {
        String tenant = caller.tenant();
        long id;
        try {
            id = Long.parseUnsignedLong(spanId);
        } catch (NumberFormatException e) {
            return Uni.createFrom().item(notFound("span " + spanId));
        }
        return registry.bundle(tenant, name).flatMap(bundle -> {
            var place = bundle == null ? java.util.Optional.<DashboardService.SpanPlace>empty()
                    : dashboards.place(bundle, id);
            if (place.isEmpty()) {
                // Another tenant's bundle and a span the release does not have look the same: not found.
                return Uni.createFrom().item(notFound("span " + spanId + " of bundle " + name));
            }
            return dashboards.span(caller.bearer(), bundle, place.get(), Integer.parseInt(window))
                    .map(view -> Response.ok(Templates.span(caller.name(), tenant, view)).build());
        });
    }

    private Response notFound(String what) {
        return Response.status(Response.Status.NOT_FOUND).entity(Templates.notFound(caller.name(), what)).build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
