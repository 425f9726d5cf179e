package dev.megacuration.ingest.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.service.ReportRejectedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this service as RFC 9457 problem details. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final MediaType PROBLEM = new MediaType("application", "problem+json");

    private final IngestConfig config;

    public ProblemMapper(IngestConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response rejected(ReportRejectedException e) {
        Response response = problem(e.status(), e.getMessage(), Map.of("reason", e.reason()));
        return e.status() == 429 || e.status() == 503
                ? Response.fromResponse(response).header("Retry-After", config.retryAfterSeconds()).build()
                : response;
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldOf(v.getPropertyPath().toString()), "message", v.getMessage()))
                .toList();
        return problem(400, "The report is not valid", Map.of("errors", errors));
    }

    @ServerExceptionMapper
    public Response unreadable(JacksonException e) {
        return problem(400, "The body is not a readable report: " + e.getOriginalMessage(), Map.of());
    }

    /** More specific than Quarkus's own mapper for it, so unknown fields and wrong types are problems too. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                : "[" + ref.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
        return problem(400, "The body is not a readable report: " + e.getOriginalMessage(),
                Map.of("errors", List.of(Map.of("field", field, "message", e.getOriginalMessage()))));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JacksonException jackson) {
            return unreadable(jackson);
        }
        return problem(e.getResponse().getStatus(), e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected failure while handling a report", e);
        return problem(500, "The report could not be handled; retry with the same reportId", Map.of());
    }

    /** "submit.report.spans[0].expands" → "spans[0].expands": clients know their body, not our method. */
    private static String fieldOf(String path) {
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : "body";
    }

    private static Response problem(int status, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extra);
        return Response.status(status).type(PROBLEM).entity(body).build();
    }
}
