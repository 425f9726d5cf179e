package dev.megacuration.analytics.mapping;

/**
 * What a query selects before the disclosure rules run: one bundle's entries of one kind in a window,
 * optionally one version, optionally broken down by stale reason, optionally narrowed to the span ids in
 * [fromSpan, toSpan) (unsigned; toSpan -1 stands for the largest span id).
 */
public record CellQuery(String tenant, String bundle, String version, Metric metric, Window window,
                        boolean byReason, long fromSpan, long toSpan) {

    /** Every span of the bundle. */
    public CellQuery(String tenant, String bundle, String version, Metric metric, Window window, boolean byReason) {
        this(tenant, bundle, version, metric, window, byReason, 0, -1L);
    }

    /** The same query narrowed to one span, or left whole when {@code spanId} is null. */
    public CellQuery onlySpan(Long spanId) {
        return spanId == null ? this
                : new CellQuery(tenant, bundle, version, metric, window, byReason, spanId, spanId + 1);
    }

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
