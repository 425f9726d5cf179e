package dev.megacuration.ingestclient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One usage report in the ingest API's JSON shape (span ids as decimal strings). Build it once and send
 * it as often as needed: its report id stays the same, so retries are never counted twice.
 */
public final class UsageReport {
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<Map<String, Object>> spans = new ArrayList<>();
    private final List<Map<String, Object>> stale = new ArrayList<>();

    private UsageReport(UUID reportId, String tenant, String bundle, String version, Instant day) {
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

    public static UsageReport of(UUID reportId, String tenant, String bundle, String version, Instant day) {
        return new UsageReport(reportId, tenant, bundle, version, day);
    }

    /**
     * A span the allocator expanded {@code count} times, with plausible companion statistics: about as
     * many collapses, residency and swap rate that grow with use, and a ΔNLL sample over 64 tokens.
     */
    public UsageReport expand(long spanId, int count) {
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

    public UsageReport stale(long spanId, String reason) {
        stale.add(Map.of("spanId", Long.toUnsignedString(spanId), "reason", reason));
        return this;
    }

    public UUID reportId() {
        return UUID.fromString((String) report.get("reportId"));
    }

    public int entries() {
        return spans.size() + stale.size();
    }

    /** The report as the JSON object the ingest API takes. */
    public Map<String, Object> build() {
        return report;
    }
}
