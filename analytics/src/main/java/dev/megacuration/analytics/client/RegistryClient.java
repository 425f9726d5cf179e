package dev.megacuration.analytics.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The portal's release API, called with analytics' service-account token. */
@RegisterRestClient(configKey = "registry")
@OidcClientFilter
@Path("/api/tenants/{tenant}/bundles/{bundle}/releases/{version}")
public interface RegistryClient {

    @GET
    Uni<ReleaseShape> release(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                              @PathParam("version") String version);
}
