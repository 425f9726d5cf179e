package dev.megacuration.analytics.rest;

import dev.megacuration.analytics.service.InvalidQueryException;
import dev.megacuration.privacy.tier.TierRequiredException;
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
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                .toList();
        return problem(400, "The query is not valid", Map.of("errors", errors));
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e) {
        return problem(400, e.getMessage(), Map.of("errors", List.of(Map.of("field", e.field(),
                "message", e.getMessage()))));
    }

    /** The tier does not include what was asked; the answer names the tier that does, as the UI shows it. */
    @ServerExceptionMapper
    public Response tier(TierRequiredException e) {
        return problem(403, e.getMessage(), Map.of("type", "https://megacuration.dev/problems/tier-required",
                "currentTier", e.current().id(), "requiredTier", e.required().id()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return problem(e.getResponse().getStatus(), e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return problem(403, "Your roles do not allow this", Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected failure while answering a query", e);
        return problem(500, "The query failed; it is safe to retry", Map.of());
    }

    private static Response problem(int status, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        Response.Status known = Response.Status.fromStatusCode(status);
        body.put("title", known == null ? "Error" : known.getReasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extra);
        return Response.status(status).type(PROBLEM).entity(body).build();
    }
}
