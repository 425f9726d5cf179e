package dev.megacuration.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The analytics query API, called with the signed-in author's own access token, so analytics applies
 * that author's tenant and the privacy threshold exactly as for any other caller.
 */
@RegisterRestClient(configKey = "analytics")
@Path("/v1/tenants/{tenant}/bundles/{bundle}")
public interface AnalyticsClient {

    @GET
    @Path("/top-expanded")
    Uni<SpanStats> topExpanded(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                               @PathParam("bundle") String bundle, @QueryParam("limit") int limit);

    @GET
    @Path("/stale")
    Uni<SpanStats> stale(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                         @PathParam("bundle") String bundle, @QueryParam("limit") int limit);
}
