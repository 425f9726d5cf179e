package dev.megacuration.ingest.mapping;

import dev.megacuration.ingest.rest.UsageReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

@ApplicationScoped
public class UsageReportMapper {

    public UsageReportEvent toEvent(UsageReport report, String deploymentPseudonym, Instant receivedAt) {
        return new UsageReportEvent(UsageReportEvent.SCHEMA_VERSION, report.reportId(), report.tenant(),
                report.bundle(), report.version(), deploymentPseudonym, floorToHour(report.windowStart()),
                ceilToHour(report.windowEnd()), floorToHour(receivedAt),
                report.spans().stream().map(UsageReportMapper::span).toList(),
                report.stale().stream()
                        .map(s -> new UsageReportEvent.Stale(UsageReport.spanIdOf(s.spanId()), s.reason())).toList());
    }

    private static UsageReportEvent.Span span(UsageReport.SpanEntry e) {
        UsageReport.DeltaNll nll = e.deltaNll();
        return new UsageReportEvent.Span(UsageReport.spanIdOf(e.spanId()), e.expands(), e.collapses(), e.residency(),
                e.swapRate(), nll == null ? null : nll.value(), nll == null ? null : nll.horizon(), e.lastAccessStep(),
                e.accessCount());
    }

    /** Hour precision is all aggregation needs, and finer timestamps would help fingerprint a deployment. */
    static Instant floorToHour(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant ceilToHour(Instant instant) {
        Instant floor = floorToHour(instant);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.HOURS);
    }
}
