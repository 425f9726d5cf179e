package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseExistsException;
import dev.megacuration.portal.service.BadReleaseException;
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
    private static final String UNIQUE_VIOLATION = "23505";

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                .toList();
        return problem(400, "The request is not valid", Map.of("errors", errors));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return problem(e.getResponse().getStatus(), e.getMessage(), Map.of());
    }

    /** The tier does not include what was asked; the answer names the tier that does. */
    @ServerExceptionMapper
    public Response tier(TierRequiredException e) {
        return problem(403, e.getMessage(), Map.of("type", "https://megacuration.dev/problems/tier-required",
                "currentTier", e.current().id(), "requiredTier", e.required().id()));
    }

    @ServerExceptionMapper
    public Response badRelease(BadReleaseException e) {
        return problem(400, e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return problem(400, e.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return problem(403, "Your roles do not allow this", Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (isUniqueViolation(e)) {
            return problem(409, "That already exists; releases are immutable, publish a new version", Map.of());
        }
        LOG.error("Unexpected failure", e);
        return problem(500, "Something failed on our side; it is safe to retry", Map.of());
    }

    /** A second registration of something unique: a release version in the registry or in the store. */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReleaseExistsException) {
                return true;
            }
            // Hibernate wraps the driver's error; either carries PostgreSQL's SQLSTATE.
            if (t instanceof org.hibernate.JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())
                    || t instanceof io.vertx.pgclient.PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
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
