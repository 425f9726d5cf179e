package dev.megacuration.curation.mapping;

/** One line of a curation plan: what to do with a span, and the evidence for it. */
public record PlannedSpan(Action action, long spanId, int level, long index, long expands, long staleReports,
                          long deployments, String reason) {

    /** What a plan may do with a span; this first policy only keeps or compacts. */
    public enum Action { KEEP, COMPACT, ARCHIVE, DELETE }
}
