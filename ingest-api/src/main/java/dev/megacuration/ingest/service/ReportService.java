package dev.megacuration.ingest.service;

import dev.megacuration.ingest.client.ReleaseCatalog;
import dev.megacuration.ingest.client.ReleaseShape;
import dev.megacuration.ingest.mapping.UsageReportEvent;
import dev.megacuration.ingest.mapping.UsageReportMapper;
import dev.megacuration.ingest.rest.UsageReport;
import dev.megacuration.privacy.consent.ConsentService;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Authenticates the deployment, checks its consent and the report against the registry, pseudonymizes, and
 * publishes to Kafka.
 */
@ApplicationScoped
public class ReportService {
    private final ConsentService consent;
    private final Pseudonymizer pseudonymizer;
    private final UsageReportMapper mapper;
    private final MutinyEmitter<UsageReportEvent> reports;
    private final ReleaseCatalog releases;

    public ReportService(ConsentService consent, Pseudonymizer pseudonymizer, UsageReportMapper mapper,
                         @Channel("usage-reports") MutinyEmitter<UsageReportEvent> reports, ReleaseCatalog releases) {
        this.releases = releases;
        this.consent = consent;
        this.pseudonymizer = pseudonymizer;
        this.mapper = mapper;
        this.reports = reports;
    }

    /** Completes only once Kafka acknowledged the record, so a 202 means the report is durable. */
    public Uni<UsageReportEvent> accept(String ingestKey, UsageReport report) {
        return consent.authenticate(ingestKey)
                .onItem().ifNull().failWith(ReportRejectedException::unauthenticated)
                .flatMap(deployment -> consent.isOptedIn(deployment.id, report.tenant(), report.bundle())
                        .flatMap(optedIn -> {
                            if (!optedIn) {
                                return Uni.createFrom().failure(
                                        ReportRejectedException.notConsented(report.tenant(), report.bundle()));
                            }
                            return validate(report).flatMap(valid -> {
                                // The real deployment id never leaves this method.
                                String pseudonym = pseudonymizer.pseudonym(report.tenant(), deployment.id);
                                return publish(mapper.toEvent(report, pseudonym, Instant.now()));
                            });
                        }));
    }

    /** Refuses reports about releases or spans that the registry does not have. */
    private Uni<UsageReport> validate(UsageReport report) {
        return releases.release(report.tenant(), report.bundle(), report.version()).map(shape -> {
            ReleaseShape release = shape.orElseThrow(() -> ReportRejectedException.unknownRelease(report.tenant(),
                    report.bundle(), report.version()));
            List<Long> unknown = Stream.concat(report.expands().stream().map(UsageReport.SpanExpand::spanId),
                            report.stale().stream().map(UsageReport.SpanStale::spanId))
                    .filter(span -> !release.hasSpan(span)).distinct().limit(10).toList();
            if (!unknown.isEmpty()) {
                throw ReportRejectedException.unknownSpans(unknown);
            }
            return report;
        });
    }

    private Uni<UsageReportEvent> publish(UsageReportEvent event) {
        // Keyed by bundle so one bundle's reports stay ordered on one partition.
        Message<UsageReportEvent> message = Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.tenant() + "/" + event.bundle()).build());
        return reports.sendMessage(message).replaceWith(event);
    }
}
