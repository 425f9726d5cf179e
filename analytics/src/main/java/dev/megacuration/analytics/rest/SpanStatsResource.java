package dev.megacuration.analytics.rest;

import dev.megacuration.analytics.mapping.CellQuery.Metric;
import dev.megacuration.analytics.mapping.BundleSummary;
import dev.megacuration.analytics.mapping.SpanFeedResponse;
import dev.megacuration.analytics.mapping.VersionComparison;
import jakarta.validation.constraints.NotNull;
import dev.megacuration.analytics.mapping.SpanStatsResponse;
import dev.megacuration.analytics.mapping.TrendResponse;
import dev.megacuration.analytics.security.CallerTenant;
import dev.megacuration.analytics.service.InvalidQueryException;
import dev.megacuration.analytics.service.PrivacyGate;
import dev.megacuration.analytics.service.PrivacyGate.TopRequest;
import dev.megacuration.analytics.service.PrivacyGate.TrendRequest;
import dev.megacuration.format.store.ReleaseKey;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Span rankings and trends of one bundle, all through {@link PrivacyGate}. Authors read their own tenant
 * only (the {@code tenant} claim of their token, or the tenant of an API token); admins, including the curation runner's service account,
 * read any tenant. {@code format=csv} (or {@code json} as a download) is an export, which the tier must
 * include.
 */
@Path("/v1/tenants/{tenant}/bundles/{bundle}")
@RolesAllowed({"author", "admin"})
public class SpanStatsResource {
    private static final String SLUG = ReleaseKey.SLUG;
    private static final String VERSION = ReleaseKey.VERSION;
    private static final String FORMAT = "json|csv|json-download";
    private static final String SPAN_ID = "[0-9]{1,20}";

    private final PrivacyGate gate;
    private final SecurityIdentity identity;

    public SpanStatsResource(PrivacyGate gate, SecurityIdentity identity) {
        this.gate = gate;
        this.identity = identity;
    }

    @GET
    @Path("/top-expanded")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Uni<Response> topExpanded(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                     @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                     @QueryParam("version") @Pattern(regexp = VERSION) String version,
                                     @QueryParam("from") String from, @QueryParam("to") String to,
                                     @QueryParam("limit") @Min(1) @Max(10_000) Integer limit,
                                     @QueryParam("offset") @Min(0) Integer offset,
                                     @QueryParam("format") @DefaultValue("json") @Pattern(regexp = FORMAT) String format,
                                     @QueryParam("span") @Pattern(regexp = SPAN_ID) String span) {
        requireTenant(tenant);
        return gate.top(new TopRequest(tenant, bundle, version, Metric.EXPANDS, false, from, to, limit, offset,
                !format.equals("json"), span == null ? null : spanId(span))).map(page -> render(page, format));
    }

    @GET
    @Path("/stale")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Uni<Response> stale(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                               @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                               @QueryParam("version") @Pattern(regexp = VERSION) String version,
                               @QueryParam("reasons") boolean reasons,
                               @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("limit") @Min(1) @Max(10_000) Integer limit,
                               @QueryParam("offset") @Min(0) Integer offset,
                               @QueryParam("format") @DefaultValue("json") @Pattern(regexp = FORMAT) String format,
                               @QueryParam("span") @Pattern(regexp = SPAN_ID) String span) {
        requireTenant(tenant);
        return gate.top(new TopRequest(tenant, bundle, version, Metric.STALE, reasons, from, to, limit, offset,
                !format.equals("json"), span == null ? null : spanId(span))).map(page -> render(page, format));
    }

    @GET
    @Path("/spans/{spanId}/trend")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TrendResponse> trend(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                    @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                    @PathParam("spanId") @Pattern(regexp = SPAN_ID) String spanId,
                                    @QueryParam("version") @Pattern(regexp = VERSION) String version,
                                    @QueryParam("metric") @DefaultValue("expands") @Pattern(regexp = "expands|stale")
                                    String metric,
                                    @QueryParam("bucket") String bucket,
                                    @QueryParam("from") String from, @QueryParam("to") String to) {
        requireTenant(tenant);
        return gate.trend(new TrendRequest(tenant, bundle, spanId(spanId), version,
                Metric.valueOf(metric.toUpperCase()), bucket, from, to));
    }

    /** The whole bundle's trend: each bucket sums the published pieces of every span (same tier rules). */
    @GET
    @Path("/trend")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TrendResponse> bundleTrend(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                          @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                          @QueryParam("version") @Pattern(regexp = VERSION) String version,
                                          @QueryParam("metric") @DefaultValue("expands")
                                          @Pattern(regexp = "expands|stale") String metric,
                                          @QueryParam("bucket") String bucket,
                                          @QueryParam("from") String from, @QueryParam("to") String to) {
        requireTenant(tenant);
        return gate.trend(new TrendRequest(tenant, bundle, null, version, Metric.valueOf(metric.toUpperCase()),
                bucket, from, to));
    }

    /** Span ids are unsigned 64-bit numbers: the level is the top byte. */
    private static long spanId(String spanId) {
        try {
            return Long.parseUnsignedLong(spanId);
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("spanId", "spanId is an unsigned 64-bit number");
        }
    }

    /**
     * Every span of a release with its expand and stale cells (published, below threshold or none), LOD1
     * then LOD2, paged: what the curation runner plans from. Pro and enterprise.
     */
    @GET
    @Path("/versions/{version}/span-stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SpanFeedResponse> spanFeed(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                          @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                          @PathParam("version") @Pattern(regexp = VERSION) String version,
                                          @QueryParam("from") String from, @QueryParam("to") String to,
                                          @QueryParam("offset") @Min(0) Long offset,
                                          @QueryParam("limit") @Min(1) @Max(5_000) Integer limit) {
        requireTenant(tenant);
        return gate.feed(new PrivacyGate.FeedRequest(tenant, bundle, version, from, to, offset, limit));
    }

    /** Coverage of a release: shares of spans expanded, below threshold and never expanded, and the bytes nobody used. */
    @GET
    @Path("/versions/{version}/summary")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<BundleSummary> summary(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                      @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                      @PathParam("version") @Pattern(regexp = VERSION) String version,
                                      @QueryParam("from") String from, @QueryParam("to") String to) {
        requireTenant(tenant);
        return gate.summary(tenant, bundle, version, from, to);
    }

    /** Two releases side by side (enterprise). */
    @GET
    @Path("/compare")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<VersionComparison> compare(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                          @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                          @QueryParam("base") @NotNull @Pattern(regexp = VERSION) String base,
                                          @QueryParam("target") @NotNull @Pattern(regexp = VERSION) String target,
                                          @QueryParam("metric") @DefaultValue("expands") @Pattern(regexp = "expands|stale")
                                          String metric,
                                          @QueryParam("from") String from, @QueryParam("to") String to,
                                          @QueryParam("limit") @Min(1) @Max(10_000) Integer limit) {
        requireTenant(tenant);
        return gate.compare(tenant, bundle, base, target, Metric.valueOf(metric.toUpperCase()), from, to, limit);
    }

    private static Response render(SpanStatsResponse page, String format) {
        return switch (format) {
            case "csv" -> Response.ok(CsvExport.of(page), "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(page) + ".csv\"").build();
            case "json-download" -> Response.ok(page, MediaType.APPLICATION_JSON)
                    .header("Content-Disposition", "attachment; filename=\"" + fileName(page) + ".json\"").build();
            default -> Response.ok(page, MediaType.APPLICATION_JSON).build();
        };
    }

    private static String fileName(SpanStatsResponse page) {
        return page.bundle() + "-" + page.metric() + "-" + page.from() + "-" + page.to();
    }

    private void requireTenant(String tenant) {
        if (identity.hasRole("admin")) {
            return;
        }
        String own = CallerTenant.of(identity);
        if (own == null || !own.equals(tenant)) {
            throw new ForbiddenException("Your organisation cannot read tenant " + tenant);
        }
    }
}
