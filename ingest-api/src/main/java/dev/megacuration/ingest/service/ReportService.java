package dev.megacuration.ingest.service;

import dev.megacuration.ingest.client.ReleaseCatalog;
import dev.megacuration.ingest.client.ReleaseShape;
import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.mapping.UsageReportEvent;
import dev.megacuration.ingest.mapping.UsageReportMapper;
import dev.megacuration.ingest.repository.ChannelProducer;
import dev.megacuration.ingest.repository.RejectionRepository;
import dev.megacuration.ingest.rest.UsageReport;
import dev.megacuration.privacy.consent.Deployment;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * The rules of the edge, in order: the deployment's consent, the registry (release and spans), the
 * per-deployment ledger of accepted report ids, then pseudonymize and publish to Kafka, answering only
 * after Kafka's acknowledgement (the ledger learns the id in its next flush).
 */
@ApplicationScoped
public class ReportService {
    private static final Logger LOG = Logger.getLogger(ReportService.class);
    private final ConsentChecks checks;
    private final Pseudonymizer pseudonymizer;
    private final UsageReportMapper mapper;
    private final ChannelProducer<UsageReportEvent> reports;
    private final ReleaseCatalog releases;
    private final AcceptedReportLedger accepted;
    private final RejectionRepository rejections;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    private final Timer kafkaSend;
    /** The stage timers, registered once (a lookup by name and tags on every report is not free). */
    private final Map<String, Timer> stageTimers = new ConcurrentHashMap<>();
    private final Counter spanEntries;

    public ReportService(ConsentChecks checks, Pseudonymizer pseudonymizer, UsageReportMapper mapper,
                         @Channel("usage-reports") MutinyEmitter<UsageReportEvent> channel, KafkaClientService kafka,
                         ReleaseCatalog releases, AcceptedReportLedger accepted, RejectionRepository rejections,
                         IngestConfig config, MeterRegistry metrics) {
        this.checks = checks;
        this.pseudonymizer = pseudonymizer;
        this.mapper = mapper;
        // The emitter only makes the connector create the channel's producer (see ChannelProducer).
        this.reports = new ChannelProducer<>(kafka, "usage-reports");
        this.releases = releases;
        this.accepted = accepted;
        this.rejections = rejections;
        this.config = config;
        this.metrics = metrics;
        this.kafkaSend = Timer.builder("megacuration.ingest.kafka.send").description("Kafka send until acknowledged")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.spanEntries = metrics.counter("megacuration.ingest.span.entries");
    }

    /** How an accepted report was handled: published now, or already published before (a retry). */
    public record Outcome(UUID reportId, boolean duplicate) {
    }

    /** The deployment holding this ingest key; 401 otherwise. */
    public Uni<Deployment> authenticate(String ingestKey) {
        return known(dependency("credentials", checks.deploymentOf(ingestKey)));
    }

    /** The deployment an OAuth2 client-credentials token's client acts for; 401 otherwise. */
    public Uni<Deployment> authenticateClient(String clientId) {
        return known(clientId == null ? Uni.createFrom().nullItem()
                : dependency("credentials", checks.deploymentOfClient(clientId)));
    }

    /**
     * A check that needs PostgreSQL or the registry and cannot get an answer is a 503 (retry later with the
     * same report id), never a 202 on an unchecked consent and never a 500: the edge recovers by itself
     * once the dependency is back (the pools reconnect), so the client's retry is the remedy.
     */
    private <T> Uni<T> dependency(String what, Uni<T> check) {
        return check.onFailure(e -> !(e instanceof ReportRejectedException)).transform(e -> {
            LOG.warnf("The %s check failed (%s); answering 503", what, e.toString());
            return ReportRejectedException.unavailable();
        });
    }

    /** No deployment behind a credential is a 401, counted as such. */
    private Uni<Deployment> known(Uni<Deployment> deployment) {
        return deployment.onItem().ifNull().failWith(() -> {
            count("rejected", "unauthenticated");
            return ReportRejectedException.unauthenticated();
        });
    }

    public Uni<Outcome> accept(Deployment deployment, UsageReport report) {
        return timed("consent", dependency("consent", checks.isOptedIn(deployment.id, report.tenant(), report.bundle())))
                .flatMap(optedIn -> optedIn ? timed("registry", dependency("registry", validate(report)))
                        : Uni.createFrom().failure(ReportRejectedException.notConsented(report.tenant(), report.bundle())))
                .flatMap(valid -> timed("ledger-check", dependency("ledger", accepted.contains(deployment.id,
                        report.reportId()))))
                .flatMap(seen -> seen ? Uni.createFrom().item(new Outcome(report.reportId(), true))
                        : publish(deployment, report))
                .invoke(outcome -> {
                    count(outcome.duplicate() ? "duplicate" : "accepted", "none");
                    if (!outcome.duplicate()) {
                        spanEntries.increment(report.spans().size() + report.stale().size());
                    }
                })
                .onFailure(ReportRejectedException.class).call(e -> rejected(deployment, report,
                        (ReportRejectedException) e));
    }

    private Uni<Outcome> publish(Deployment deployment, UsageReport report) {
        // The real deployment id never leaves this method. The key is the epoch of the report's own window,
        // so the pseudonym lines up with the hours and days that k is judged on.
        return dependency("pseudonym key", pseudonymizer.pseudonym(report.tenant(), deployment.id, report.windowStart()))
                .flatMap(pseudonym -> send(deployment, report, mapper.toEvent(report, pseudonym, Instant.now())));
    }

    private Uni<Outcome> send(Deployment deployment, UsageReport report, UsageReportEvent event) {
        Timer.Sample sample = Timer.start(metrics);
        // Keyed by bundle so one bundle's reports stay ordered on one partition.
        return reports.send(event.tenant() + "/" + event.bundle(), event)
                .ifNoItem().after(config.kafkaTimeout()).fail()
                .onFailure().transform(e -> ReportRejectedException.unavailable())
                .invoke(() -> sample.stop(kafkaSend))
                // The ledger row is written in the next flush, off the response path.
                .invoke(() -> accepted.record(deployment.id, report.reportId()))
                .replaceWith(new Outcome(report.reportId(), false));
    }

    /** Refuses reports about releases or spans that the registry does not have. */
    private Uni<UsageReport> validate(UsageReport report) {
        return releases.release(report.tenant(), report.bundle(), report.version()).map(shape -> {
            ReleaseShape release = shape.orElseThrow(() -> ReportRejectedException.unknownRelease(report.tenant(),
                    report.bundle(), report.version()));
            List<String> unknown = Stream.concat(report.spans().stream().map(UsageReport.SpanEntry::spanId),
                            report.stale().stream().map(UsageReport.SpanStale::spanId))
                    .filter(span -> !release.hasSpan(UsageReport.spanIdOf(span))).distinct().limit(10).toList();
            if (!unknown.isEmpty()) {
                throw ReportRejectedException.unknownSpans(unknown);
            }
            return report;
        });
    }

    private Uni<Void> rejected(Deployment deployment, UsageReport report, ReportRejectedException e) {
        count("rejected", e.reason());
        return e.isWarning() ? rejections.record(deployment.id, report.reportId(), e.status(), e.getMessage())
                : Uni.createFrom().voidItem();
    }

    /** Times one stage of the edge, so a slow request can be attributed (megacuration.ingest.stage). */
    private <T> Uni<T> timed(String stage, Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(metrics);
            return work.eventually(() -> sample.stop(stageTimers.computeIfAbsent(stage, name -> Timer
                    .builder("megacuration.ingest.stage").tag("stage", name).publishPercentiles(0.5, 0.99)
                    .register(metrics))));
        });
    }

    public void count(String outcome, String reason) {
        metrics.counter("megacuration.ingest.reports", "outcome", outcome, "reason", reason).increment();
    }

    public Uni<List<RejectionRepository.Warning>> warnings(Deployment deployment) {
        return rejections.recent(deployment.id, 50);
    }
}
