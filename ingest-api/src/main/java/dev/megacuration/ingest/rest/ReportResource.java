package dev.megacuration.ingest.rest;

import dev.megacuration.ingest.service.ReportService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The ingest edge for consumer deployments; authenticated by the deployment's ingest key. */
@Path("/v1/reports")
public class ReportResource {
    private static final String BEARER = "Bearer ";

    private final ReportService reports;

    public ReportResource(ReportService reports) {
        this.reports = reports;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                @Valid @NotNull UsageReport report) {
        return reports.accept(ingestKey(authorization), report)
                .map(event -> Response.accepted(Map.of("reportId", event.reportId(), "status", "accepted")).build());
    }

    private static String ingestKey(String authorization) {
        return authorization != null && authorization.startsWith(BEARER)
                ? authorization.substring(BEARER.length()).trim() : null;
    }
}
