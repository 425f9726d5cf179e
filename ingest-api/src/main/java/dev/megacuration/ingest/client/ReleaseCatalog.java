package dev.megacuration.ingest.client;

import dev.megacuration.ingest.service.Kept;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.cache.CompositeCacheKey;
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
    private final Cache kept;

    public ReleaseCatalog(@RestClient RegistryClient registry, @CacheName("releases") Cache kept) {
        this.registry = registry;
        this.kept = kept;
    }

    /** The kept answer of {@link #release}, read without a {@code Uni}; null when the registry must be asked. */
    @SuppressWarnings("unchecked")
    public Optional<ReleaseShape> releaseIfKept(String tenant, String bundle, String version) {
        return (Optional<ReleaseShape>) Kept.valueOf(kept, new CompositeCacheKey(tenant, bundle, version));
    }

    @CacheResult(cacheName = "releases")
    public Uni<Optional<ReleaseShape>> release(String tenant, String bundle, String version) {
        return registry.release(tenant, bundle, version).map(Optional::of)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(Optional.empty());
    }
}
