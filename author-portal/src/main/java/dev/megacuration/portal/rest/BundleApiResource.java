package dev.megacuration.portal.rest;

import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.ReleaseRequest;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.RegistryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

/** The registry API of the caller's own tenant (bearer tokens only; see application.properties). */
@Path("/api/bundles")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("author")
public class BundleApiResource {
    static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";

    private final RegistryService registry;
    private final Caller caller;

    public BundleApiResource(RegistryService registry, Caller caller) {
        this.registry = registry;
        this.caller = caller;
    }

    @GET
    public Uni<List<BundleView>> list() {
        return registry.bundlesOf(caller.tenant());
    }

    @GET
    @Path("/{bundle}")
    public Uni<BundleView> get(@PathParam("bundle") @Pattern(regexp = SLUG) String bundle) {
        return registry.bundle(caller.tenant(), bundle)
                .onItem().ifNull().failWith(() -> new NotFoundException("Your organisation has no bundle " + bundle));
    }

    @POST
    @Path("/{bundle}/releases")
    public Uni<Response> register(@PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                  @Valid @NotNull ReleaseRequest request) {
        return registry.register(caller.tenant(), bundle, request, caller.name())
                .map(release -> Response.created(URI.create("/api/bundles/" + bundle + "/releases/"
                        + release.version())).entity(release).build());
    }

    /** One release: the target of the Location header above. */
    @GET
    @Path("/{bundle}/releases/{version}")
    public Uni<ReleaseView> release(@PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                    @PathParam("version") String version) {
        return get(bundle).map(view -> view.releases().stream().filter(r -> r.version().equals(version))
                .findFirst().orElseThrow(() -> new NotFoundException("No release " + version + " of " + bundle)));
    }
}
