package dev.megacuration.portal.rest;

import dev.megacuration.portal.client.AnalyticsClient;
import dev.megacuration.portal.client.SpanStats;
import dev.megacuration.portal.config.PortalConfig;
import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.RegistryService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The portal's HTML pages (authorization-code login; see application.properties). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(String user, boolean author, boolean consumer);

        static native TemplateInstance bundles(String user, String tenant, List<BundleView> bundles);

        static native TemplateInstance bundle(String user, String tenant, BundleView bundle, SpanStats expanded,
                                              SpanStats stale);

        static native TemplateInstance notFound(String user, String what);
    }

    private final RegistryService registry;
    private final AnalyticsClient analytics;
    private final Caller caller;
    private final PortalConfig config;

    public PageResource(RegistryService registry, @RestClient AnalyticsClient analytics, Caller caller,
                        PortalConfig config) {
        this.registry = registry;
        this.analytics = analytics;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @PermitAll
    public TemplateInstance index() {
        if (caller.isAnonymous()) {
            return Templates.index(null, false, false);
        }
        return Templates.index(caller.name(), caller.hasRole("author"), caller.hasRole("consumer"));
    }

    @GET
    @Path("/bundles")
    @RolesAllowed("author")
    public Uni<TemplateInstance> bundles() {
        String tenant = caller.tenant();
        return registry.bundlesOf(tenant).map(list -> Templates.bundles(caller.name(), tenant, list));
    }

    @GET
    @Path("/bundles/{bundle}")
    @RolesAllowed("author")
    public Uni<Response> bundle(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String name) {
        String tenant = caller.tenant();
        String bearer = caller.bearer();
        int rows = config.topSpans();
        return registry.bundle(tenant, name).flatMap(bundle -> {
            if (bundle == null) {
                return Uni.createFrom().item(Response.status(Response.Status.NOT_FOUND)
                        .entity(Templates.notFound(caller.name(), "bundle " + name)).build());
            }
            return Uni.combine().all()
                    .unis(analytics.topExpanded(bearer, tenant, name, rows), analytics.stale(bearer, tenant, name, rows))
                    .with((expanded, stale) -> Response.ok(
                            Templates.bundle(caller.name(), tenant, bundle, expanded, stale)).build());
        });
    }
}
