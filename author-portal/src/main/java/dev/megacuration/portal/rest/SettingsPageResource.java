package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.PlanView;
import dev.megacuration.portal.mapping.SpanTagView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.RegistryService;
import dev.megacuration.portal.service.TagService;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
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

/**
 * A bundle's settings, for its authors: tags on spans and subtrees ({@code protected}, domain tags,
 * {@code soft-delete-first}: what the curation policy reads), and the organisation's k, which an author may
 * raise above the platform's (never lower; the tier stays the admins'). Forms carry a CSRF token.
 */
@Path("/bundles/{bundle}/settings")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("author")
public class SettingsPageResource {
    private static final String TAG = "[a-z][a-z0-9-]{0,31}";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance settings(String user, BundleView bundle, List<SpanTagView> tags, PlanView plan,
                                                int platformK, String csrf, String message);
    }

    private final RegistryService registry;
    private final TagService tags;
    private final TenantPlans plans;
    private final PrivacyThreshold threshold;
    private final Caller caller;

    public SettingsPageResource(RegistryService registry, TagService tags, TenantPlans plans,
                                PrivacyThreshold threshold, Caller caller) {
        this.registry = registry;
        this.tags = tags;
        this.plans = plans;
        this.threshold = threshold;
        this.caller = caller;
    }

    @GET
    public Uni<Response> page(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle) {
        return page(bundle, null, Response.Status.OK);
    }

    @POST
    @Path("/tags")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> tag(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                             @FormParam("spanId") String spanId, @FormParam("tag") String tag,
                             @FormParam("subtree") String subtree, @FormParam("remove") String remove,
                             @FormParam("csrf") String token, @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(bundle, FormToken.REFUSED, Response.Status.FORBIDDEN);
        }
        long span;
        try {
            span = Long.parseUnsignedLong(spanId == null ? "" : spanId.strip());
        } catch (NumberFormatException e) {
            return page(bundle, "A span id is a number (see the span's page).", Response.Status.BAD_REQUEST);
        }
        if (tag == null || !tag.strip().matches(TAG)) {
            return page(bundle, "A tag is a lower-case word of up to 32 letters, digits and dashes.",
                    Response.Status.BAD_REQUEST);
        }
        Uni<?> change = "true".equals(remove)
                ? tags.untag(caller.tenant(), bundle, span, tag.strip(), caller.name())
                : tags.tag(caller.tenant(), bundle, span, tag.strip(), "on".equals(subtree) || "true".equals(subtree),
                caller.name());
        return change.map(done -> Response.seeOther(URI.create("/bundles/" + bundle + "/settings")).build())
                .onFailure(NotFoundException.class).recoverWithUni(e -> page(bundle,
                        "The newest release of this bundle has no span " + Long.toUnsignedString(span) + ".",
                        Response.Status.BAD_REQUEST));
    }

    /** The organisation's k: raised above the platform's, or back to it (blank). */
    @POST
    @Path("/k")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> k(@PathParam("bundle") @Pattern(regexp = BundleApiResource.SLUG) String bundle,
                           @FormParam("minDeployments") String k, @FormParam("csrf") String token,
                           @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(bundle, FormToken.REFUSED, Response.Status.FORBIDDEN);
        }
        Integer wanted;
        try {
            wanted = k == null || k.isBlank() ? null : Integer.valueOf(k.strip());
        } catch (NumberFormatException e) {
            wanted = -1;
        }
        int platform = threshold.minDeployments();
        if (wanted != null && (wanted < platform || wanted > PrivacyThreshold.CEILING)) {
            return page(bundle, "k can be raised from the platform's " + platform + " up to "
                    + PrivacyThreshold.CEILING + ", never lowered.", Response.Status.BAD_REQUEST);
        }
        Integer own = wanted;
        String tenant = caller.tenant();
        return registry.bundle(tenant, bundle).flatMap(found -> found == null ? notFound(bundle)
                : plans.of(tenant).flatMap(plan -> plans.change(new TenantPlan(tenant, plan.tier(), own), caller.name()))
                .map(saved -> Response.seeOther(URI.create("/bundles/" + bundle + "/settings")).build()));
    }

    private Uni<Response> notFound(String bundle) {
        return Uni.createFrom().item(Response.seeOther(URI.create("/bundles/" + bundle)).build());
    }

    private Uni<Response> page(String bundle, String message, Response.Status status) {
        String tenant = caller.tenant();
        String csrf = FormToken.next();
        return registry.bundle(tenant, bundle).flatMap(found -> found == null
                // Another tenant's bundle: the dashboard's 404 page says so.
                ? notFound(bundle)
                : tags.tags(tenant, bundle).flatMap(all -> plans.of(tenant).map(plan -> Response.status(status)
                        .entity(Templates.settings(caller.name(), found, all,
                                PlanView.of(plan, threshold.forTenant(plan.minDeployments())),
                                threshold.minDeployments(), csrf, message))
                        .cookie(FormToken.cookie(csrf, "/bundles/" + bundle + "/settings")).build())));
    }
}
