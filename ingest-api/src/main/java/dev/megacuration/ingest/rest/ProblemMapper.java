package dev.megacuration.ingest.rest;

import com.fasterxml.jackson.core.JacksonException;
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

    @ServerExceptionMapper
    public Response rejected(ReportRejectedException e) {
        return problem(e.status(), e.getMessage(), Map.of());
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
        return problem(503, "The report could not be stored; retry with the same reportId", Map.of());
    }

    /** "submit.report.expands[0].count" → "expands[0].count": clients know their body, not our method. */
    private static String fieldOf(String path) {
        int body = path.indexOf(".report");
        String field = body >= 0 ? path.substring(body + ".report".length()) : path;
        return field.startsWith(".") ? field.substring(1) : field.isEmpty() ? "body" : field;
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
