package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.ConsentRequest;
import dev.megacuration.portal.mapping.ConsentView;
import dev.megacuration.portal.mapping.DeploymentRequest;
import dev.megacuration.portal.mapping.DeploymentView;
import dev.megacuration.portal.mapping.ErasureView;
import dev.megacuration.portal.mapping.SamplePayload;
import dev.megacuration.portal.service.SamplePayloads;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.privacy.config.PrivacyConfig;
import dev.megacuration.privacy.erasure.ErasureRepository;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.QueryParam;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.privacy.consent.ConsentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** A consumer's deployments and their consent; a consumer only ever sees and changes their own. */
@Path("/api/deployments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("consumer")
public class DeploymentApiResource {
    private final ConsentService consent;
    private final ErasureRepository erasures;
    private final SamplePayloads samples;
    private final PrivacyConfig privacy;
    private final Caller caller;

    public DeploymentApiResource(ConsentService consent, ErasureRepository erasures, SamplePayloads samples,
                                 PrivacyConfig privacy, Caller caller) {
        this.consent = consent;
        this.erasures = erasures;
        this.samples = samples;
        this.privacy = privacy;
        this.caller = caller;
    }

    @GET
    public Uni<List<DeploymentView>> list() {
        return consent.deploymentsOf(caller.subject())
                .map(list -> list.stream().map(d -> DeploymentView.of(d, null)).toList());
    }

    /** The answer carries the ingest key; it is stored only as a hash and never shown again. */
    @POST
    public Uni<Response> register(@Valid @NotNull DeploymentRequest request) {
        return consent.register(caller.subject(), request.name())
                .map(r -> Response.created(URI.create("/api/deployments/" + r.deployment().id))
                        .entity(DeploymentView.of(r.deployment(), r.ingestKey())).build());
    }

    @PUT
    @Path("/{id}/consent")
    public Uni<ConsentView> setConsent(@PathParam("id") UUID id, @Valid @NotNull ConsentRequest request) {
        return consent.setConsent(caller.subject(), id, request.tenant(), request.bundle(), request.optedIn())
                .onItem().ifNull().failWith(() -> new NotFoundException("You have no deployment " + id))
                .map(ConsentView::of);
    }

    /**
     * Asks for erasure: from now on the deployment can send nothing and shares nothing; analytics removes
     * everything it contributed within the hour. Asking again answers the same request.
     */
    @POST
    @Path("/{id}/erasure")
    public Uni<Response> erase(@PathParam("id") UUID id) {
        return erasures.request(id, caller.subject(), privacy.contractVersion())
                .onItem().ifNull().failWith(() -> new NotFoundException("You have no deployment " + id))
                .map(request -> Response.accepted(ErasureView.of(request))
                        .location(URI.create("/api/deployments/" + id + "/erasure")).build());
    }

    @GET
    @Path("/{id}/erasure")
    public Uni<ErasureView> erasure(@PathParam("id") UUID id) {
        return erasures.statusFor(id, caller.subject())
                .onItem().ifNull().failWith(() -> new NotFoundException("No erasure was asked for deployment " + id))
                .map(ErasureView::of);
    }

    /** Exactly what one report of this deployment about the bundle would publish, pseudonym included. */
    @GET
    @Path("/{id}/sample")
    public Uni<SamplePayload> sample(@PathParam("id") UUID id,
                                     @QueryParam("tenant") @NotNull @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                                     @QueryParam("bundle") @NotNull @Pattern(regexp = ReleaseKey.SLUG) String bundle) {
        return consent.liveDeploymentOf(caller.subject(), id)
                .onItem().ifNull().failWith(() -> new NotFoundException("You have no deployment " + id))
                .flatMap(deployment -> samples.of(deployment.id, tenant, bundle));
    }
}
