package dev.megacuration.analytics.mapping;

/**
 * What a query selects before the disclosure rules run: one bundle's entries of one kind in a window,
 * optionally one version, optionally broken down by stale reason.
 */
public record CellQuery(String tenant, String bundle, String version, Metric metric, Window window,
                        boolean byReason) {

    /** Which entries a query counts and ranks by. */
    public enum Metric {
        EXPANDS("expand", "expands"),
        STALE("stale", "stale_reports");

        private final String kind;
        private final String orderColumn;

        Metric(String kind, String orderColumn) {
            this.kind = kind;
            this.orderColumn = orderColumn;
        }

        public String kind() {
            return kind;
        }

        public String orderColumn() {
            return orderColumn;
        }

        public String id() {
            return name().toLowerCase();
        }
    }
}
