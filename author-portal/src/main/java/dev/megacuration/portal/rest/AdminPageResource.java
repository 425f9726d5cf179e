package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.mapping.PlanView;
import dev.megacuration.portal.repository.BundleRepository;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.IngestHealth;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.privacy.tier.Tier;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.TreeSet;

/**
 * The admins' page: every tenant with its tier and k, a form to change them (audited by the privacy
 * library, as the admin API does), and the ingest pipeline's health. Forms carry a CSRF token.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("admin")
public class AdminPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance admin(String user, List<PlanView> tenants, IngestHealth.Health health,
                                             int platformK, String csrf, String message);
    }

    private final TenantPlans plans;
    private final BundleRepository bundles;
    private final IngestHealth ingest;
    private final PrivacyThreshold threshold;
    private final Caller caller;

    public AdminPageResource(TenantPlans plans, BundleRepository bundles, IngestHealth ingest,
                             PrivacyThreshold threshold, Caller caller) {
        this.plans = plans;
        this.bundles = bundles;
        this.ingest = ingest;
        this.threshold = threshold;
        this.caller = caller;
    }

    @GET
    public Uni<Response> page() {
        return page(null, Response.Status.OK);
    }

    @POST
    @Path("/tenants/{tenant}/plan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> setPlan(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                                 @FormParam("tier") String tier, @FormParam("minDeployments") String k,
                                 @FormParam("csrf") String token, @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(FormToken.REFUSED,
                    Response.Status.FORBIDDEN);
        }
        Integer minDeployments;
        try {
            minDeployments = k == null || k.isBlank() ? null : Integer.valueOf(k.strip());
        } catch (NumberFormatException e) {
            minDeployments = -1;
        }
        if (tier == null || !tier.matches("free|pro|enterprise") || minDeployments != null
                && (minDeployments < PrivacyThreshold.FLOOR || minDeployments > PrivacyThreshold.CEILING)) {
            return page("Choose free, pro or enterprise, and a k from " + PrivacyThreshold.FLOOR + " to "
                    + PrivacyThreshold.CEILING + " (or none, for the platform's).", Response.Status.BAD_REQUEST);
        }
        return plans.change(new TenantPlan(tenant, Tier.fromId(tier), minDeployments), caller.name())
                .map(saved -> Response.seeOther(URI.create("/admin")).build());
    }

    private Uni<Response> page(String message, Response.Status status) {
        String csrf = FormToken.next();
        return tenants().flatMap(tenants -> ingest.read().map(health -> Response.status(status)
                .entity(Templates.admin(caller.name(), tenants, health, threshold.minDeployments(), csrf, message))
                .cookie(FormToken.cookie(csrf, "/admin")).build()));
    }

    /** Tenants with a plan of their own and tenants with bundles (on the default plan until changed). */
    @WithSession
    Uni<List<PlanView>> tenants() {
        return bundles.tenants().flatMap(withBundles -> plans.all().flatMap(own -> {
            TreeSet<String> names = new TreeSet<>(withBundles);
            own.forEach(plan -> names.add(plan.tenant()));
            return Multi.createFrom().iterable(names).onItem().transformToUniAndConcatenate(plans::of)
                    .map(plan -> PlanView.of(plan, threshold.forTenant(plan.minDeployments()))).collect().asList();
        }));
    }
}
