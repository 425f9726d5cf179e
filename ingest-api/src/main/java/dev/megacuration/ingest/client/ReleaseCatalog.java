package dev.megacuration.ingest.client;

import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Registered releases, cached: a busy bundle costs one registry call a minute, not one per report. A
 * release that does not exist is cached as absent for the same time, so floods of bad reports stay cheap.
 */
@ApplicationScoped
public class ReleaseCatalog {
    private final RegistryClient registry;

    public ReleaseCatalog(@RestClient RegistryClient registry) {
        this.registry = registry;
    }

    @CacheResult(cacheName = "releases")
    public Uni<Optional<ReleaseShape>> release(String tenant, String bundle, String version) {
        return registry.release(tenant, bundle, version).map(Optional::of)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(Optional.empty());
    }
}
