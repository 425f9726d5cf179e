package dev.megacuration.ingest.rest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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

    /**
     * Malformed JSON gets the parser's own words (they name the position and the character); anything else
     * Jackson refuses gets a plain sentence, as its messages name our classes.
     */
    @ServerExceptionMapper
    public Response unreadable(JacksonException e) {
        String detail = e instanceof StreamReadException ? e.getOriginalMessage() : "its structure is not a report's";
        return problem(400, "The body is not a readable report: " + detail, Map.of());
    }

    /** More specific than Quarkus's own mapper for it, so unknown fields and wrong types are problems too. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName()
                : "[" + ref.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
        String message = describe(e);
        return problem(400, "The body is not a readable report: " + field + " " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
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

    /**
     * What is wrong with a field, in the contract's words: Jackson's own message names our classes and
     * exception types, which a client has no use for (and an attacker some).
     */
    private static String describe(MismatchedInputException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "is not a field of this request (unknown fields are refused)";
        }
        Class<?> type = e.getTargetType();
        if (type == null) {
            return "has the wrong type";
        }
        String expected;
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            expected = "a whole number";
        } else if (type == double.class || type == Double.class) {
            expected = "a number";
        } else if (type == java.time.Instant.class) {
            expected = "an ISO-8601 instant such as 2026-11-25T00:00:00Z";
        } else if (type == java.util.UUID.class) {
            expected = "a UUID";
        } else if (type == String.class) {
            expected = "a string";
        } else if (java.util.Collection.class.isAssignableFrom(type)) {
            expected = "an array";
        } else {
            expected = "an object";
        }
        return "must be " + expected;
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
