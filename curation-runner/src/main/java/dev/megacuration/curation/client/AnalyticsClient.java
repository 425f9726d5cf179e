package dev.megacuration.curation.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The analytics query API, with a client-credentials token of the runner's service account. */
@RegisterRestClient(configKey = "analytics")
@OidcClientFilter
@Path("/v1/tenants/{tenant}/bundles/{bundle}")
public interface AnalyticsClient {

    @GET
    @Path("/top-expanded")
    SpanStats topExpanded(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                          @QueryParam("version") String version, @QueryParam("limit") int limit);

    @GET
    @Path("/stale")
    SpanStats stale(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                    @QueryParam("version") String version, @QueryParam("limit") int limit);
}
