package dev.megacuration.ingest.service;

/**
 * A report refused for who sent it (401), what they consented to (403) or what it is about (422: a release
 * or spans the registry does not have); nothing was published.
 */
public class ReportRejectedException extends RuntimeException {
    private final int status;

    private ReportRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ReportRejectedException unauthenticated() {
        return new ReportRejectedException(401, "Missing or unknown ingest key");
    }

    public static ReportRejectedException notConsented(String tenant, String bundle) {
        return new ReportRejectedException(403,
                "This deployment has not opted in to share usage of " + tenant + "/" + bundle);
    }

    public static ReportRejectedException unknownRelease(String tenant, String bundle, String version) {
        return new ReportRejectedException(422, "No release " + version + " of " + tenant + "/" + bundle
                + " is registered");
    }

    public static ReportRejectedException unknownSpans(java.util.List<Long> spanIds) {
        return new ReportRejectedException(422, "Spans not in this release: " + spanIds);
    }

    public int status() {
        return status;
    }
}
