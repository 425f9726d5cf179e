package dev.megacuration.ingest.service;

/** A report refused for who sent it (401) or what they consented to (403); nothing was published. */
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

    public int status() {
        return status;
    }
}
