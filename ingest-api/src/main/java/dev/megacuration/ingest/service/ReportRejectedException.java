package dev.megacuration.ingest.service;

import java.util.List;

/**
 * A report that was not accepted, with the HTTP status and a short machine-readable reason. Nothing of a
 * rejected report is published; for 403 and 422 the fact and reason are kept for the deployment's owner.
 */
public class ReportRejectedException extends RuntimeException {
    private final int status;
    private final String reason;

    private ReportRejectedException(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    public static ReportRejectedException unauthenticated() {
        return new ReportRejectedException(401, "unauthenticated", "Missing or unknown ingest key");
    }

    public static ReportRejectedException notConsented(String tenant, String bundle) {
        return new ReportRejectedException(403, "not-consented",
                "This deployment has not opted in to share usage of " + tenant + "/" + bundle);
    }

    public static ReportRejectedException unknownRelease(String tenant, String bundle, String version) {
        return new ReportRejectedException(422, "unknown-release", "No release " + version + " of " + tenant + "/"
                + bundle + " is registered");
    }

    public static ReportRejectedException unknownSpans(List<String> spanIds) {
        return new ReportRejectedException(422, "unknown-span", "Spans not in this release: " + spanIds);
    }

    public static ReportRejectedException rateLimited() {
        return new ReportRejectedException(429, "rate-limited", "Too many reports from this deployment; slow down");
    }

    public static ReportRejectedException unavailable() {
        return new ReportRejectedException(503, "unavailable",
                "The report could not be stored now; retry later with the same reportId");
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** Whether the deployment's owner should see this refusal among its ingestion warnings. */
    public boolean isWarning() {
        return status == 403 || status == 422;
    }
}
