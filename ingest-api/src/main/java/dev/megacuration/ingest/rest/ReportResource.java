package dev.megacuration.ingest.rest;

import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.repository.RejectionRepository;
import dev.megacuration.ingest.service.RateLimiter;
import dev.megacuration.ingest.service.ReportRejectedException;
import dev.megacuration.ingest.service.ReportService;
import dev.megacuration.privacy.consent.Deployment;
import dev.megacuration.privacy.consent.IngestKeys;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The ingest edge for consumer deployments, authenticated by each deployment's ingest key
 * ({@code Authorization: Bearer mcd_…}) or an OAuth2 client-credentials token of its Keycloak client
 * ({@code deployment-<id>}). Bodies may be gzip-compressed.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {
    private static final String BEARER = "Bearer ";

    private final ReportService reports;
    private final RateLimiter rateLimiter;
    private final IngestConfig config;
    private final CurrentIdentityAssociation identities;

    public ReportResource(ReportService reports, RateLimiter rateLimiter, IngestConfig config,
                          CurrentIdentityAssociation identities) {
        this.reports = reports;
        this.rateLimiter = rateLimiter;
        this.config = config;
        this.identities = identities;
    }

    @POST
    @Path("/reports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send one usage report", description = "Answered 202 only after Kafka acknowledged the "
            + "report; a repeated reportId is answered 202 again and never counted twice.")
    @APIResponse(responseCode = "202", description = "Accepted (or accepted before: status duplicate)")
    @APIResponse(responseCode = "400", description = "Invalid report; the problem names each field and rule")
    @APIResponse(responseCode = "401", description = "Missing or unknown ingest key")
    @APIResponse(responseCode = "403", description = "The deployment has not opted in for this bundle")
    @APIResponse(responseCode = "413", description = "Body over 1 MiB (after decompression)")
    @APIResponse(responseCode = "422", description = "Unknown release or span ids")
    @APIResponse(responseCode = "429", description = "Over the deployment's rate; see Retry-After")
    @APIResponse(responseCode = "503", description = "Kafka unavailable; retry with the same reportId after Retry-After")
    public Uni<Response> submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @Valid @NotNull UsageReport report) {
        return deploymentOf(authorization)
                .flatMap(deployment -> {
                    admit(deployment, 1);
                    return reports.accept(deployment, report);
                })
                .map(outcome -> Response.accepted(acceptedBody(outcome)).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @POST
    @Path("/reports:batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send several reports of one deployment", description = "202 when every report was "
            + "accepted; otherwise 200 with each report's own status (202, 403, 422 or 503).")
    public Uni<Response> submitBatch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                     @Valid @NotNull ReportBatch batch) {
        if (batch.reports().size() > config.maxBatch()) {
            throw new jakarta.ws.rs.BadRequestException("A batch holds at most " + config.maxBatch() + " reports");
        }
        return deploymentOf(authorization)
                .invoke(deployment -> admit(deployment, batch.reports().size()))
                .flatMap(deployment -> reports.acceptBatch(deployment, batch.reports()))
                .map(answers -> {
                    List<Map<String, Object>> results = answers.stream().map(ReportResource::resultOf).toList();
                    boolean all = answers.stream().allMatch(answer -> answer.status() == 202);
                    return Response.status(all ? 202 : 200).entity(Map.of("results", results)).build();
                });
    }

    @GET
    @Path("/warnings")
    @Operation(summary = "This deployment's recent refused reports and why (its ingestion warnings)")
    public Uni<List<RejectionRepository.Warning>> warnings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return deploymentOf(authorization).flatMap(reports::warnings);
    }

    private void admit(Deployment deployment, int reportCount) {
        if (!rateLimiter.tryAcquire(deployment.id, reportCount)) {
            reports.count("rejected", "rate-limited");
            throw ReportRejectedException.rateLimited();
        }
    }

    /**
     * The single report's answer, {@code {"reportId":…,"status":202,"outcome":…}}, written directly: a UUID and
     * a fixed word need no escaping, and the generic writer's lookup for a map cost a tenth of an
     * accepted report's time on the event loop (a JFR recording of the benchmark).
     */
    static String acceptedBody(ReportService.Outcome outcome) {
        return "{\"reportId\":\"" + outcome.reportId() + "\",\"status\":202,\"outcome\":\""
                + (outcome.duplicate() ? "duplicate" : "accepted") + "\"}";
    }

    private static Map<String, Object> result(String reportId, int status, String outcome) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("reportId", reportId);
        result.put("status", status);
        result.put("outcome", outcome);
        return result;
    }

    private static Map<String, Object> resultOf(ReportService.BatchAnswer answer) {
        Map<String, Object> result = result(answer.reportId().toString(), answer.status(), answer.outcome());
        if (answer.detail() != null) {
            result.put("detail", answer.detail());
        }
        return result;
    }

    /**
     * The deployment behind the request's bearer: an ingest key ({@code mcd_…}), or an OAuth2
     * client-credentials token of the realm whose client is {@code deployment-<id>}. Only the second is
     * verified by OIDC (lazily, for this request); anything else is 401.
     */
    private Uni<Deployment> deploymentOf(String authorization) {
        String bearer = authorization != null && authorization.startsWith(BEARER)
                ? authorization.substring(BEARER.length()).trim() : null;
        if (bearer == null || IngestKeys.isIngestKey(bearer)) {
            return reports.authenticate(bearer);
        }
        return identities.getDeferredIdentity()
                .map(identity -> identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                        ? null : token.<String>getClaim("azp"))
                .onFailure().recoverWithNull()
                .flatMap(reports::authenticateClient);
    }
}
