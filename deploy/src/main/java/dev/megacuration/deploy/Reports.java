package dev.megacuration.deploy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds usage reports in the ingest API's JSON shape (span ids as decimal strings). */
public final class Reports {
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<Map<String, Object>> spans = new ArrayList<>();
    private final List<Map<String, Object>> stale = new ArrayList<>();

    private Reports(UUID reportId, String tenant, String bundle, String version, Instant day) {
        Instant start = day.truncatedTo(ChronoUnit.DAYS);
        report.put("reportId", reportId.toString());
        report.put("tenant", tenant);
        report.put("bundle", bundle);
        report.put("version", version);
        report.put("windowStart", start.toString());
        report.put("windowEnd", start.plus(1, ChronoUnit.DAYS).toString());
        report.put("spans", spans);
        report.put("stale", stale);
    }

    public static Reports of(UUID reportId, String tenant, String bundle, String version, Instant day) {
        return new Reports(reportId, tenant, bundle, version, day);
    }

    /**
     * A span the allocator expanded {@code count} times, with plausible companion statistics: about as
     * many collapses, residency and swap rate that grow with use, and a ΔNLL sample over 64 tokens.
     */
    public Reports expand(long spanId, int count) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("spanId", Long.toUnsignedString(spanId));
        entry.put("expands", count);
        entry.put("collapses", Math.max(0, count - 1));
        entry.put("residency", Math.min(1.0, count / 100.0));
        entry.put("swapRate", Math.min(1.0, count / 64.0));
        entry.put("deltaNll", Map.of("value", 0.01 * count, "horizon", 64));
        entry.put("accessCount", (long) count * 3);
        spans.add(entry);
        return this;
    }

    public Reports stale(long spanId, String reason) {
        stale.add(Map.of("spanId", Long.toUnsignedString(spanId), "reason", reason));
        return this;
    }

    public Map<String, Object> build() {
        return report;
    }
}
