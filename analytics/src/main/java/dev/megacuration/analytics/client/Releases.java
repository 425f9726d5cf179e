package dev.megacuration.analytics.client;

import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Registered releases' shapes, cached: releases are immutable, so a shape never changes. */
@ApplicationScoped
public class Releases {
    private final RegistryClient registry;

    public Releases(@RestClient RegistryClient registry) {
        this.registry = registry;
    }

    @CacheResult(cacheName = "release-shapes")
    public Uni<Optional<ReleaseShape>> shape(String tenant, String bundle, String version) {
        return registry.release(tenant, bundle, version).map(Optional::of)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(Optional.empty());
    }
}
