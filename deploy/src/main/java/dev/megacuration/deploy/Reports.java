package dev.megacuration.deploy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds usage reports in the ingest API's JSON shape. */
public final class Reports {
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<Map<String, Object>> expands = new ArrayList<>();
    private final List<Map<String, Object>> stale = new ArrayList<>();

    private Reports(UUID reportId, String tenant, String bundle, String version, Instant day) {
        Instant start = day.truncatedTo(ChronoUnit.DAYS);
        report.put("reportId", reportId.toString());
        report.put("tenant", tenant);
        report.put("bundle", bundle);
        report.put("version", version);
        report.put("windowStart", start.toString());
        report.put("windowEnd", start.plus(1, ChronoUnit.DAYS).toString());
        report.put("expands", expands);
        report.put("stale", stale);
    }

    public static Reports of(UUID reportId, String tenant, String bundle, String version, Instant day) {
        return new Reports(reportId, tenant, bundle, version, day);
    }

    public Reports expand(long spanId, int count) {
        expands.add(Map.of("spanId", spanId, "count", count));
        return this;
    }

    public Reports stale(long spanId, String reason) {
        stale.add(Map.of("spanId", spanId, "reason", reason));
        return this;
    }

    public Map<String, Object> build() {
        return report;
    }
}
