package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.RegistryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The caller's own organisation's bundles (bearer tokens only; see application.properties). Uploads,
 * files, span index and tags are under {@link ReleaseApiResource}.
 */
@Path("/api/bundles")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("author")
public class BundleApiResource {
    static final String SLUG = ReleaseKey.SLUG;

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

    /** One release: the target of the Location header above. */
    @GET
    @Path("/{bundle}/releases/{version}")
    public Uni<ReleaseView> release(@PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                    @PathParam("version") String version) {
        return get(bundle).map(view -> view.releases().stream().filter(r -> r.version().equals(version))
                .findFirst().orElseThrow(() -> new NotFoundException("No release " + version + " of " + bundle)));
    }
}
