package dev.megacuration.ingest.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.ingest.client.ReleaseCatalog;
import dev.megacuration.ingest.client.ReleaseShape;
import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.mapping.UsageReportBatchEvent;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Channel usage-reports: a {@link UsageReportEvent} per single report, a {@link UsageReportBatchEvent} per batch. */
    private final ChannelProducer<Object> reports;
    private final ReleaseCatalog releases;
    private final AcceptedReportLedger accepted;
    private final RejectionRepository rejections;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    private final Timer kafkaSend;
    /** The stage timers, registered once (a lookup by name and tags on every report is not free). */
    private final Map<String, Timer> stageTimers = new ConcurrentHashMap<>();
    private final Counter spanEntries;
    /** The count of every accepted report, registered once (not looked up by name and tags per report). */
    private final Counter acceptedReports;

    public ReportService(ConsentChecks checks, Pseudonymizer pseudonymizer, UsageReportMapper mapper,
                         @Channel("usage-reports") MutinyEmitter<Object> channel, KafkaClientService kafka,
                         ReleaseCatalog releases, AcceptedReportLedger accepted, RejectionRepository rejections,
                         IngestConfig config, MeterRegistry metrics, ObjectMapper json) {
        this.checks = checks;
        this.pseudonymizer = pseudonymizer;
        this.mapper = mapper;
        // The emitter only makes the connector create the channel's producer (see ChannelProducer).
        this.reports = new ChannelProducer<>(kafka, "usage-reports", json);
        this.releases = releases;
        this.accepted = accepted;
        this.rejections = rejections;
        this.config = config;
        this.metrics = metrics;
        // Buckets for Prometheus to compute quantiles from (histogram_quantile), rather than quantiles kept
        // here: those cost a sliding window's update on every report.
        this.kafkaSend = Timer.builder("megacuration.ingest.kafka.send").description("Kafka send until acknowledged")
                .publishPercentileHistogram().register(metrics);
        this.spanEntries = metrics.counter("megacuration.ingest.span.entries");
        this.acceptedReports = metrics.counter("megacuration.ingest.reports", "outcome", "accepted", "reason", "none");
    }

    /** How an accepted report was handled: published now, or already published before (a retry). */
    public record Outcome(UUID reportId, boolean duplicate) {
    }

    /** One report's answer within a batch: 202 (accepted or duplicate), or a refusal's status and reason. */
    public record BatchAnswer(UUID reportId, int status, String outcome, String detail) {
        static BatchAnswer accepted(UUID reportId, boolean duplicate) {
            return new BatchAnswer(reportId, 202, duplicate ? "duplicate" : "accepted", null);
        }

        static BatchAnswer refused(UUID reportId, ReportRejectedException e) {
            return new BatchAnswer(reportId, e.status(), e.reason(), e.getMessage());
        }
    }

    /** A batch's report after the rules: a repeat of a published one (no event), or its event to publish. */
    private record Checked(UsageReport report, UsageReportEvent event) {
    }

    /** The deployment holding this ingest key; 401 otherwise. */
    public Uni<Deployment> authenticate(String ingestKey) {
        Deployment kept = checks.deploymentIfKept(ingestKey);
        return kept != null ? Uni.createFrom().item(kept) : known(dependency("credentials", checks.deploymentOf(ingestKey)));
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
        return check(deployment, report)
                .flatMap(checked -> checked.event() == null ? Uni.createFrom().item(new Outcome(report.reportId(), true))
                        // Keyed by bundle so one bundle's reports stay ordered on one partition.
                        : publish(deployment, checked.event().tenant() + "/" + checked.event().bundle(), checked.event(),
                        List.of(report)).replaceWith(new Outcome(report.reportId(), false)))
                .onFailure(ReportRejectedException.class).call(e -> rejected(deployment, report,
                        (ReportRejectedException) e));
    }

    /**
     * A batch of one deployment's reports: each passes the same rules as {@link #accept}, and those to publish
     * go to Kafka together, one record per tenant and bundle ({@link UsageReportBatchEvent}), each answered
     * after its acknowledgement (a record Kafka did not take is 503 for each of its reports). A report id
     * repeated inside the batch is checked once; the repeat gets the first one's answer, "duplicate" if that
     * was accepted. The answers are in the order of the reports.
     */
    public Uni<List<BatchAnswer>> acceptBatch(Deployment deployment, List<UsageReport> batch) {
        Map<UUID, Integer> firstOf = new HashMap<>();
        List<UsageReport> distinct = new ArrayList<>();
        for (UsageReport report : batch) {
            if (firstOf.putIfAbsent(report.reportId(), distinct.size()) == null) {
                distinct.add(report);
            }
        }
        List<Uni<Object>> checks = new ArrayList<>();
        for (UsageReport report : distinct) {
            checks.add(check(deployment, report)
                    .onFailure(ReportRejectedException.class).call(e -> rejected(deployment, report,
                            (ReportRejectedException) e))
                    .<Object>map(checked -> checked)
                    .onFailure(ReportRejectedException.class).recoverWithItem(e -> e));
        }
        return Uni.join().all(checks).andFailFast()
                .flatMap(checked -> publishAll(deployment, checked).map(published -> {
                    List<BatchAnswer> answers = new ArrayList<>();
                    for (int i = 0; i < distinct.size(); i++) {
                        answers.add(answerOf(distinct.get(i).reportId(), checked.get(i), published));
                    }
                    List<BatchAnswer> inOrder = new ArrayList<>();
                    Map<UUID, Boolean> answered = new HashMap<>();
                    for (UsageReport report : batch) {
                        BatchAnswer first = answers.get(firstOf.get(report.reportId()));
                        boolean repeat = answered.put(report.reportId(), true) != null;
                        inOrder.add(repeat && first.status() == 202 ? BatchAnswer.accepted(report.reportId(), true) : first);
                    }
                    return inOrder;
                }));
    }

    private static BatchAnswer answerOf(UUID reportId, Object checked, Map<UUID, ReportRejectedException> unpublished) {
        if (checked instanceof ReportRejectedException e) {
            return BatchAnswer.refused(reportId, e);
        }
        if (((Checked) checked).event() == null) {
            return BatchAnswer.accepted(reportId, true);
        }
        ReportRejectedException failed = unpublished.get(reportId);
        return failed != null ? BatchAnswer.refused(reportId, failed) : BatchAnswer.accepted(reportId, false);
    }

    /**
     * The rules up to the send, for a single report or one of a batch: consent and registry, then the ledger
     * (nearly every report id is new, which the ledger knows without a lookup; a possible repeat is looked up,
     * and timed), then the event to publish, or none for a repeat.
     */
    private Uni<Checked> check(Deployment deployment, UsageReport report) {
        return checked(deployment, report)
                .flatMap(valid -> accepted.isCertainlyNew(deployment.id, report.reportId()) ? eventOf(deployment, report)
                        : timed("ledger-check", dependency("ledger", accepted.contains(deployment.id, report.reportId())))
                        .flatMap(seen -> seen ? Uni.createFrom().item(duplicate(report)) : eventOf(deployment, report)));
    }

    private Uni<Checked> eventOf(Deployment deployment, UsageReport report) {
        // The real deployment id never leaves this method. The key is the epoch of the report's own window,
        // so the pseudonym lines up with the hours and days that k is judged on.
        String pseudonym = pseudonymizer.pseudonymIfKeyOpen(report.tenant(), deployment.id, report.windowStart());
        if (pseudonym != null) {
            return Uni.createFrom().item(new Checked(report, mapper.toEvent(report, pseudonym, Instant.now())));
        }
        return dependency("pseudonym key", pseudonymizer.pseudonym(report.tenant(), deployment.id, report.windowStart()))
                .map(opened -> new Checked(report, mapper.toEvent(report, opened, Instant.now())));
    }

    /**
     * Sends the checked reports to publish, one record per tenant and bundle; the ids of those Kafka did not
     * take, with their refusal (503).
     */
    private Uni<Map<UUID, ReportRejectedException>> publishAll(Deployment deployment, List<Object> checked) {
        Map<String, List<Checked>> byBundle = new LinkedHashMap<>();
        for (Object each : checked) {
            if (each instanceof Checked report && report.event() != null) {
                byBundle.computeIfAbsent(report.event().tenant() + "/" + report.event().bundle(), key -> new ArrayList<>())
                        .add(report);
            }
        }
        if (byBundle.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<List<Checked>>> sends = new ArrayList<>();
        byBundle.forEach((key, group) -> sends.add(publishGroup(deployment, key, group)));
        return Uni.join().all(sends).andFailFast().map(failedGroups -> {
            Map<UUID, ReportRejectedException> failed = new HashMap<>();
            failedGroups.forEach(group -> group.forEach(report -> failed.put(report.report().reportId(),
                    ReportRejectedException.unavailable())));
            return failed;
        });
    }

    /** One record for a group of a batch; the group's reports if Kafka did not take it, else none. */
    private Uni<List<Checked>> publishGroup(Deployment deployment, String key, List<Checked> group) {
        return publish(deployment, key, new UsageReportBatchEvent(group.stream().map(Checked::event).toList()),
                group.stream().map(Checked::report).toList())
                .replaceWith(List.<Checked>of())
                .onFailure().recoverWithItem(e -> {
                    group.forEach(report -> count("rejected", "unavailable"));
                    return group;
                });
    }

    /**
     * The consent and registry checks. Nearly always both answers are kept (see {@code ConsentChecks} and
     * {@code ReleaseCatalog}) and the checks run right here; every stage of a reactive pipeline costs a
     * context capture, which was a tenth of the edge's time on an event loop (a JFR recording of the
     * benchmark). Otherwise they are asked, each timed as a stage.
     */
    private Uni<UsageReport> checked(Deployment deployment, UsageReport report) {
        Boolean optedIn = checks.optedInIfKept(deployment.id, report.tenant(), report.bundle());
        Optional<ReleaseShape> release = optedIn == null ? null
                : releases.releaseIfKept(report.tenant(), report.bundle(), report.version());
        if (release != null) {
            try {
                return Uni.createFrom().item(validate(report, optedIn, release));
            } catch (ReportRejectedException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return timed("consent", dependency("consent", checks.isOptedIn(deployment.id, report.tenant(), report.bundle())))
                .flatMap(consented -> !consented
                        ? Uni.createFrom().failure(ReportRejectedException.notConsented(report.tenant(), report.bundle()))
                        : timed("registry", dependency("registry", releases.release(report.tenant(), report.bundle(),
                        report.version()))).map(shape -> validate(report, true, shape)));
    }

    private Checked duplicate(UsageReport report) {
        count("duplicate", "none");
        return new Checked(report, null);
    }

    /**
     * Sends one record (a single report's event, or a batch group's) and, once Kafka acknowledged it, enters its
     * reports in the ledger and the counts; fails with a 503 refusal when Kafka did not take it in time.
     */
    private Uni<Void> publish(Deployment deployment, String key, Object record, List<UsageReport> published) {
        Timer.Sample sample = Timer.start(metrics);
        int entries = published.stream().mapToInt(report -> report.spans().size() + report.stale().size()).sum();
        return reports.send(key, record, entries)
                .ifNoItem().after(config.kafkaTimeout()).fail()
                .onFailure().transform(e -> {
                    LOG.debugf("A record of %d reports was not acknowledged (%s); answering 503", published.size(),
                            e.toString());
                    return ReportRejectedException.unavailable();
                })
                .map(acknowledged -> {
                    sample.stop(kafkaSend);
                    // The ledger rows are written in the next flush, off the response path.
                    published.forEach(report -> accepted.record(deployment.id, report.reportId()));
                    acceptedReports.increment(published.size());
                    spanEntries.increment(entries);
                    return null;
                });
    }

    /** Refuses reports of deployments that did not opt in, and about releases or spans the registry lacks. */
    private static UsageReport validate(UsageReport report, boolean optedIn, Optional<ReleaseShape> shape) {
        if (!optedIn) {
            throw ReportRejectedException.notConsented(report.tenant(), report.bundle());
        }
        ReleaseShape release = shape.orElseThrow(() -> ReportRejectedException.unknownRelease(report.tenant(),
                report.bundle(), report.version()));
        List<String> unknown = null;
        for (UsageReport.SpanEntry entry : report.spans()) {
            unknown = unknownSpan(release, entry.spanId(), unknown);
        }
        for (UsageReport.SpanStale stale : report.stale()) {
            unknown = unknownSpan(release, stale.spanId(), unknown);
        }
        if (unknown != null) {
            throw ReportRejectedException.unknownSpans(unknown);
        }
        return report;
    }

    /** Adds the span id to the (first ten, distinct) unknown ones if the release lacks it. */
    private static List<String> unknownSpan(ReleaseShape release, String spanId, List<String> unknown) {
        if (release.hasSpan(UsageReport.spanIdOf(spanId))) {
            return unknown;
        }
        List<String> found = unknown == null ? new ArrayList<>() : unknown;
        if (found.size() < 10 && !found.contains(spanId)) {
            found.add(spanId);
        }
        return found;
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
                    .builder("megacuration.ingest.stage").tag("stage", name).publishPercentileHistogram()
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
