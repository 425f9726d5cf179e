package dev.megacuration.portal.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.mapping.DeploymentPanel;
import dev.megacuration.portal.mapping.DeploymentView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.SamplePayloads;
import dev.megacuration.privacy.config.PrivacyConfig;
import dev.megacuration.privacy.consent.ConsentContract;
import dev.megacuration.privacy.consent.ConsentService;
import dev.megacuration.privacy.consent.Deployment;
import dev.megacuration.privacy.erasure.ErasureRepository;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The consumer's pages: their deployments (register one, its key shown once), opting in or out per author
 * and bundle under the named contract, "what do I share" with a real pseudonymized sample, and erasure with
 * its status. A consumer only ever sees and changes their own deployments: another's id is a 404 page.
 * Forms carry a CSRF token ({@link FormToken}).
 */
@Path("/me")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed("consumer")
public class ConsumerPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deployments(String user, List<DeploymentPanel> deployments,
                                                   ConsentContract contract, String csrf, String message,
                                                   DeploymentView registered);

        static native TemplateInstance sample(String user, String deployment, String tenant, String bundle,
                                              String payload, List<String> neverSent);
    }

    private final ConsentService consent;
    private final ErasureRepository erasures;
    private final SamplePayloads samples;
    private final PrivacyConfig privacy;
    private final Caller caller;
    private final ObjectWriter prettyJson;

    public ConsumerPageResource(ConsentService consent, ErasureRepository erasures, SamplePayloads samples,
                                PrivacyConfig privacy, Caller caller, ObjectMapper mapper) {
        this.consent = consent;
        this.erasures = erasures;
        this.samples = samples;
        this.privacy = privacy;
        this.caller = caller;
        this.prettyJson = mapper.writerWithDefaultPrettyPrinter(); // the API's JSON, indented for reading
    }

    @GET
    public Uni<Response> page() {
        return page(null, Response.Status.OK, null);
    }

    /** Registers a deployment and shows its ingest key this once (the page is not cached, the key not stored). */
    @POST
    @Path("/deployments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> register(@FormParam("name") String name, @FormParam("csrf") String token,
                                  @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(FormToken.REFUSED, Response.Status.FORBIDDEN, null);
        }
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            return page("Give the deployment a name of 1 to 100 characters.", Response.Status.BAD_REQUEST, null);
        }
        return consent.register(caller.subject(), name.strip())
                .flatMap(r -> page(null, Response.Status.CREATED, DeploymentView.of(r.deployment(), r.ingestKey())));
    }

    @POST
    @Path("/deployments/{id}/consent")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> consent(@PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                                 @FormParam("tenant") String tenant, @FormParam("bundle") String bundle,
                                 @FormParam("optedIn") String optedIn, @FormParam("csrf") String token,
                                 @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(FormToken.REFUSED, Response.Status.FORBIDDEN, null);
        }
        String scope = bundle == null || bundle.isBlank() ? "*" : bundle.strip();
        if (tenant == null || !tenant.strip().matches(ReleaseKey.SLUG) || !scope.matches(ReleaseKey.SLUG + "|\\*")
                || !("true".equals(optedIn) || "false".equals(optedIn))) {
            return page("Name the author (organisation id), optionally one of its bundles, and opt in or out.",
                    Response.Status.BAD_REQUEST, null);
        }
        return consent.setConsent(caller.subject(), UUID.fromString(id), tenant.strip(), scope,
                        Boolean.parseBoolean(optedIn))
                .flatMap(event -> event == null ? notMine()
                        : Uni.createFrom().item(Response.seeOther(URI.create("/me")).build()));
    }

    @POST
    @Path("/deployments/{id}/erasure")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> erase(@PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                               @FormParam("csrf") String token, @CookieParam(FormToken.COOKIE) String cookie) {
        if (!FormToken.matches(token, cookie)) {
            return page(FormToken.REFUSED, Response.Status.FORBIDDEN, null);
        }
        return erasures.request(UUID.fromString(id), caller.subject(), privacy.contractVersion())
                .flatMap(request -> request == null ? notMine()
                        : Uni.createFrom().item(Response.seeOther(URI.create("/me")).build()));
    }

    /** Exactly what one report of this deployment about the bundle would publish, pseudonym included. */
    @GET
    @Path("/deployments/{id}/sample")
    public Uni<Response> sample(@PathParam("id") @Pattern(regexp = CurationApiResource.UUID_PATTERN) String id,
                                @QueryParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                                @QueryParam("bundle") @Pattern(regexp = ReleaseKey.SLUG) String bundle) {
        if (tenant == null || bundle == null) {
            return page("Name the author and the bundle to see a sample.", Response.Status.BAD_REQUEST, null);
        }
        return consent.liveDeploymentOf(caller.subject(), UUID.fromString(id))
                .flatMap(found -> found == null ? notMine() : samples.of(found.id, tenant, bundle)
                        .map(payload -> Response.ok(Templates.sample(caller.name(), found.name, tenant, bundle,
                                json(payload), payload.neverSent())).build()));
    }

    private Uni<Response> notMine() {
        return page("You have no such deployment.", Response.Status.NOT_FOUND, null);
    }

    private Uni<Response> page(String message, Response.Status status, DeploymentView registered) {
        String subject = caller.subject();
        String csrf = FormToken.next();
        ConsentContract contract = ConsentContract.version(privacy.contractVersion()).orElseThrow();
        return consent.deploymentsOf(subject).flatMap(mine -> consent.consentsOf(mine)
                .flatMap(consents -> panels(mine, consents, subject))
                .map(panels -> Response.status(status)
                        .entity(Templates.deployments(caller.name(), panels, contract, csrf, message, registered))
                        .cookie(FormToken.cookie(csrf, "/me"))
                        .cacheControl(noStore())
                        .build()));
    }

    /** One database call after another: a reactive session serves one at a time. */
    private Uni<List<DeploymentPanel>> panels(List<Deployment> mine, Map<UUID, List<dev.megacuration.privacy.consent.ConsentEvent>> consents,
                                              String subject) {
        if (mine.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Multi.createFrom().iterable(mine).onItem().transformToUniAndConcatenate(d -> erasures
                        .statusFor(d.id, subject)
                        .map(erasure -> DeploymentPanel.of(d, consents.getOrDefault(d.id, List.of()), erasure)))
                .collect().asList();
    }

    private static CacheControl noStore() {
        CacheControl control = new CacheControl();
        control.setNoStore(true);
        return control;
    }

    private String json(Object value) {
        try {
            return prettyJson.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a sample payload is plain data", e);
        }
    }
}
