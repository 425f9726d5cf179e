package dev.megacuration.portal.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.LocalDate;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The analytics query API, called with the signed-in author's own access token, so analytics applies
 * that author's tenant, tier and the privacy threshold exactly as for any other caller. Null parameters
 * are left out (analytics' defaults: every version, the last 30 days).
 */
@RegisterRestClient(configKey = "analytics")
@Path("/v1/tenants/{tenant}/bundles/{bundle}")
public interface AnalyticsClient {

    @GET
    @Path("/top-expanded")
    Uni<SpanStats> topExpanded(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                               @PathParam("bundle") String bundle, @QueryParam("version") String version,
                               @QueryParam("from") LocalDate from, @QueryParam("to") LocalDate to,
                               @QueryParam("limit") int limit, @QueryParam("span") String span);

    @GET
    @Path("/stale")
    Uni<SpanStats> stale(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                         @PathParam("bundle") String bundle, @QueryParam("version") String version,
                         @QueryParam("from") LocalDate from, @QueryParam("to") LocalDate to,
                         @QueryParam("reasons") boolean reasons, @QueryParam("limit") int limit,
                         @QueryParam("span") String span);

    @GET
    @Path("/trend")
    Uni<Trend> bundleTrend(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                           @PathParam("bundle") String bundle, @QueryParam("version") String version,
                           @QueryParam("metric") String metric, @QueryParam("from") LocalDate from,
                           @QueryParam("to") LocalDate to);

    @GET
    @Path("/spans/{spanId}/trend")
    Uni<Trend> spanTrend(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                         @PathParam("bundle") String bundle, @PathParam("spanId") String spanId,
                         @QueryParam("version") String version, @QueryParam("metric") String metric,
                         @QueryParam("from") LocalDate from, @QueryParam("to") LocalDate to);

    @GET
    @Path("/versions/{version}/summary")
    Uni<Coverage> coverage(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                           @PathParam("bundle") String bundle, @PathParam("version") String version,
                           @QueryParam("from") LocalDate from, @QueryParam("to") LocalDate to);

    @GET
    @Path("/compare")
    Uni<Comparison> compare(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                            @PathParam("bundle") String bundle, @QueryParam("base") String base,
                            @QueryParam("target") String target, @QueryParam("from") LocalDate from,
                            @QueryParam("to") LocalDate to, @QueryParam("limit") int limit);

    /** A ranking as a file (format csv or json-download; analytics allows it from the pro plan). */
    @GET
    @Path("/{ranking}")
    @jakarta.ws.rs.Produces({"text/csv", "application/json"})
    Uni<String> export(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                       @PathParam("bundle") String bundle, @PathParam("ranking") String ranking,
                       @QueryParam("version") String version, @QueryParam("from") LocalDate from,
                       @QueryParam("to") LocalDate to, @QueryParam("limit") int limit,
                       @QueryParam("format") String format);
}
