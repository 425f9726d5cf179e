package dev.megacuration.ingest.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every request gets an id for the logs (MDC key {@code requestId}, a field of every JSON log line) and
 * the response's {@code X-Request-Id}, so a client's report of a failure can be found. A caller's own
 * id is kept when it looks like one (a load balancer's, or a retrying client's); anything else is
 * replaced, so no client text reaches the logs.
 */
public class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        String id = given != null && ACCEPTED.matcher(given).matches() ? given : newId().toString();
        request.setProperty(HEADER, id);
        MDC.put("requestId", id);
    }

    /**
     * A random (version 4) UUID from the thread's own generator. A request id only has to be unique, not
     * unguessable: {@code UUID.randomUUID()} draws from the shared SecureRandom, whose lock the event loops
     * queued on for every request (a JFR recording of the ingest benchmark).
     */
    static UUID newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(HEADER);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }
}
