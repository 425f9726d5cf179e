package dev.megacuration.curation.cli;

import dev.megacuration.curation.policy.PolicyException;
import dev.megacuration.curation.service.CurationService;
import dev.megacuration.format.CtxFormatException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.PrintWriter;
import java.net.ConnectException;

/**
 * Exit codes shared by every command (curation-runner/README.md): scripts branch on them, people read the
 * message printed with them.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int CONFLICT = 3;
    public static final int NOT_FOUND = 4;
    public static final int REFUSED = 5;
    public static final int UNAVAILABLE = 6;

    private ExitCodes() {
    }

    /** Prints what went wrong in one line and returns its exit code. */
    public static int report(Exception e, PrintWriter err) {
        int code;
        String message;
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            String detail = detail(web);
            code = switch (status) {
                case 400, 422 -> INVALID;
                case 401, 403 -> REFUSED;
                case 404 -> NOT_FOUND;
                case 409 -> CONFLICT;
                case 502, 503, 504 -> UNAVAILABLE;
                default -> FAILED;
            };
            message = "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        } else if (e instanceof PolicyException || e instanceof CtxFormatException
                || e instanceof CurationService.PlanMismatchException || e instanceof IllegalArgumentException) {
            code = INVALID;
            message = e.getMessage();
        } else if (e instanceof CurationService.NothingArchivedException) {
            code = NOT_FOUND;
            message = e.getMessage();
        } else if (e instanceof ProcessingException && causedBy(e, ConnectException.class)) {
            code = UNAVAILABLE;
            message = "cannot reach the service: " + e.getMessage();
        } else {
            code = FAILED;
            message = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        err.printf("megacuration: %s%n", message);
        err.flush();
        return code;
    }

    private static String detail(WebApplicationException web) {
        try {
            if (web.getResponse().hasEntity()) {
                String body = web.getResponse().readEntity(String.class);
                var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
                return node.hasNonNull("detail") ? node.get("detail").asText() : body;
            }
        } catch (Exception ignored) {
            // the body was not a problem document: the status says enough
        }
        return "";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
