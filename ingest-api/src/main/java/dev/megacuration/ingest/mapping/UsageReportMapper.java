package dev.megacuration.ingest.mapping;

import dev.megacuration.ingest.rest.UsageReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class UsageReportMapper {

    public UsageReportEvent toEvent(UsageReport report, String deploymentPseudonym, Instant receivedAt) {
        return new UsageReportEvent(UsageReportEvent.SCHEMA_VERSION, report.reportId(), report.tenant(),
                report.bundle(), report.version(), deploymentPseudonym, report.windowStart(), report.windowEnd(),
                receivedAt,
                report.expands().stream().map(e -> new UsageReportEvent.Expand(e.spanId(), e.count())).toList(),
                report.stale().stream().map(s -> new UsageReportEvent.Stale(s.spanId(), s.reason())).toList());
    }
}
