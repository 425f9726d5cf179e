package dev.megacuration.curation.planning;

/**
 * How the analytics API published a span's cell: a number ({@code PUBLISHED}), "used by fewer than k
 * deployments" ({@code BELOW_THRESHOLD}), or no report at all ({@code NONE}). Below threshold means used:
 * the planner never treats it as unused.
 */
public enum CellStatus {
    PUBLISHED, BELOW_THRESHOLD, NONE;

    public static CellStatus fromFeed(String status) {
        return switch (status) {
            case "published" -> PUBLISHED;
            case "below_threshold" -> BELOW_THRESHOLD;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("unknown cell status " + status);
        };
    }
}
