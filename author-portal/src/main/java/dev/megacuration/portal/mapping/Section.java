package dev.megacuration.portal.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.WebApplicationException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One part of a page filled from the analytics API: its value, or why there is none. A part the tenant's
 * plan does not include says which plan unlocks it (analytics answers 403 with {@code requiredTier}); a
 * part analytics could not answer says so, and the rest of the page still shows.
 */
public record Section<T>(T value, String lockedBy, String lockedWhat, String error) {
    private static final Logger LOG = Logger.getLogger(Section.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static <T> Section<T> of(T value) {
        return new Section<>(value, null, null, null);
    }

    public static <T> Section<T> locked(String tier, String what) {
        return new Section<>(null, tier, what, null);
    }

    public boolean ok() {
        return value != null;
    }

    public boolean locked() {
        return lockedBy != null;
    }

    /** The answer of a call, or a locked or failed section in its place. */
    public static <T> Uni<Section<T>> from(Uni<T> call) {
        return call.map(Section::of).onFailure().recoverWithItem((Function<Throwable, Section<T>>) Section::failed);
    }

    /** The same section with its value mapped (a chart from a trend). */
    public <R> Section<R> map(Function<T, R> mapper) {
        return new Section<>(value == null ? null : mapper.apply(value), lockedBy, lockedWhat, error);
    }

    private static <T> Section<T> failed(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            JsonNode problem = problem(web);
            if (status == 403 && problem.hasNonNull("requiredTier")) {
                return locked(problem.get("requiredTier").asText(), problem.path("detail").asText(null));
            }
            if (status == 404) {
                return new Section<>(null, null, null, "No data for this release yet.");
            }
            LOG.warnf("analytics answered %d: %s", status, problem);
            return new Section<>(null, null, null, "Analytics could not answer (" + status + ").");
        }
        LOG.warnf(failure, "analytics call failed");
        return new Section<>(null, null, null, "Analytics is not reachable; try again in a moment.");
    }

    private static JsonNode problem(WebApplicationException web) {
        try {
            String body = web.getResponse().readEntity(String.class);
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (RuntimeException | java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }
}
