package dev.megacuration.analytics.rest;

import dev.megacuration.analytics.mapping.SpanStatsResponse;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.analytics.repository.SpanStatsRepository.Metric;
import dev.megacuration.analytics.service.SpanStatsService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Span rankings of one bundle. Authors read their own tenant only (the {@code tenant} claim of their token);
 * admins, including the curation runner's service account, read any tenant.
 */
@Path("/v1/tenants/{tenant}/bundles/{bundle}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"author", "admin"})
public class SpanStatsResource {
    private static final String SLUG = ReleaseKey.SLUG;

    private final SpanStatsService stats;
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public SpanStatsResource(SpanStatsService stats, SecurityIdentity identity, JsonWebToken token) {
        this.stats = stats;
        this.identity = identity;
        this.token = token;
    }

    @GET
    @Path("/top-expanded")
    public Uni<SpanStatsResponse> topExpanded(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                              @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                              @QueryParam("version") String version,
                                              @QueryParam("limit") @Min(1) @Max(10_000) Integer limit) {
        requireTenant(tenant);
        return stats.top(tenant, bundle, version, Metric.EXPANDS, limit);
    }

    @GET
    @Path("/stale")
    public Uni<SpanStatsResponse> stale(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                        @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                        @QueryParam("version") String version,
                                        @QueryParam("limit") @Min(1) @Max(10_000) Integer limit) {
        requireTenant(tenant);
        return stats.top(tenant, bundle, version, Metric.STALE, limit);
    }

    private void requireTenant(String tenant) {
        if (identity.hasRole("admin")) {
            return;
        }
        String own = token.getClaim("tenant");
        if (own == null || !own.equals(tenant)) {
            throw new ForbiddenException("Your organisation cannot read tenant " + tenant);
        }
    }
}
