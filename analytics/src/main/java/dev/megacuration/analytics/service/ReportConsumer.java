package dev.megacuration.analytics.service;

import dev.megacuration.analytics.mapping.UsageReportEvent;
import dev.megacuration.analytics.repository.SpanReportWriter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Kafka → ClickHouse. The offset is committed only after the insert returned, so a crash replays the
 * record; the insert's deduplication token (the report id) keeps a replay from counting twice.
 */
@ApplicationScoped
public class ReportConsumer {
    private static final Logger LOG = Logger.getLogger(ReportConsumer.class);

    private final SpanReportWriter writer;
    private final ErasedDeployments erased;

    public ReportConsumer(SpanReportWriter writer, ErasedDeployments erased) {
        this.writer = writer;
        this.erased = erased;
    }

    @Incoming("usage-reports")
    @Blocking(ordered = true)
    public void store(UsageReportEvent report) throws SQLException, InterruptedException {
        if (report == null || report.reportId() == null) {
            // A record that does not parse cannot be stored by retrying; skip it loudly.
            LOG.warn("Skipping a usage-reports record that is not a valid report");
            return;
        }
        if (erased.isErased(report.tenant(), report.deployment())) {
            // Erased: a record still in the topic (or replayed) must not bring the data back.
            LOG.debugf("Refusing report %s of an erased deployment", report.reportId());
            return;
        }
        writer.write(report);
    }
}
