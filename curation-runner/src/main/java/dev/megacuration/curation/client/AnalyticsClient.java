package dev.megacuration.curation.client;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** Every span of a release with its published, below-threshold or absent cells (the curation feed). */
    @GET
    @Path("/versions/{version}/span-stats")
    SpanFeed feed(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                  @PathParam("version") String version, @QueryParam("from") String from, @QueryParam("to") String to,
                  @QueryParam("offset") long offset, @QueryParam("limit") int limit);

    @GET
    @Path("/top-expanded")
    JsonNode topExpanded(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                         @QueryParam("version") String version, @QueryParam("from") String from,
                         @QueryParam("limit") int limit);

    @GET
    @Path("/stale")
    JsonNode stale(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                   @QueryParam("version") String version, @QueryParam("from") String from,
                   @QueryParam("limit") int limit);

    @GET
    @Path("/versions/{version}/summary")
    JsonNode summary(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                     @PathParam("version") String version, @QueryParam("from") String from);
}
