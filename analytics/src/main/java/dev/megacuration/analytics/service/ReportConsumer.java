package dev.megacuration.analytics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.analytics.mapping.UsageReportEvent;
import dev.megacuration.analytics.repository.SpanReportWriter;
import dev.megacuration.privacy.plan.TenantPlans;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Kafka → ClickHouse in batches (a poll's records: up to max.poll.records, or what arrived within
 * fetch.max.wait.ms). A batch's offsets are committed only after this method returns, that is after
 * ClickHouse acknowledged the insert and every dead letter was acknowledged by Kafka; a crash replays the
 * batch, and the writer skips reports stored already. While ClickHouse is unreachable the method retries
 * with backoff, which stops consumption (the connector pauses the partitions) until it is back.
 */
@ApplicationScoped
public class ReportConsumer {
    private static final Logger LOG = Logger.getLogger(ReportConsumer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final SpanReportWriter writer;
    private final ErasedDeployments erased;
    private final TenantPlans plans;
    private final ObjectMapper json;
    private final Emitter<String> deadLetters;
    private final MeterRegistry metrics;
    private final AtomicInteger clickhouseUp = new AtomicInteger(1);
    private final Timer insertTimer;

    public ReportConsumer(SpanReportWriter writer, ErasedDeployments erased, TenantPlans plans, ObjectMapper json,
                          @Channel("dead-letters") Emitter<String> deadLetters, MeterRegistry metrics) {
        this.writer = writer;
        this.erased = erased;
        this.plans = plans;
        this.json = json;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        metrics.gauge("megacuration.analytics.clickhouse.up", clickhouseUp);
        this.insertTimer = Timer.builder("megacuration.analytics.clickhouse.insert")
                .description("One batch's insert into ClickHouse, until acknowledged (failed attempts included)")
                .publishPercentileHistogram().register(metrics);
    }

    @Incoming("usage-reports")
    @Blocking(ordered = true)
    public void store(ConsumerRecords<String, String> records) throws InterruptedException {
        Map<UUID, UsageReportEvent> reports = new LinkedHashMap<>();
        List<CompletableFuture<Void>> dead = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            List<UsageReportEvent> carried;
            try {
                carried = parse(record.value());
            } catch (InvalidRecordException e) {
                dead.add(deadLetter(record, e.getMessage()));
                continue;
            }
            for (UsageReportEvent report : carried) {
                if (reports.putIfAbsent(report.reportId(), report) != null) {
                    count("duplicate");
                }
            }
        }
        List<UsageReportEvent> pending = new ArrayList<>(reports.values());
        List<UsageReportEvent> stored = writeUntilAcknowledged(pending, retentionOf(pending));
        count("stored", stored.size());
        count("duplicate", pending.size() - stored.size());
        metrics.counter("megacuration.analytics.span.entries.stored").increment(
                stored.stream().mapToInt(r -> r.spanEntries().size() + r.staleEntries().size()).sum());
        // Dead letters are part of the batch: its offsets move on only once they are safely in Kafka.
        CompletableFuture.allOf(dead.toArray(CompletableFuture[]::new)).join();
    }

    /** Writes {@code pending} (from which erased deployments' reports are removed) until ClickHouse takes it. */
    private List<UsageReportEvent> writeUntilAcknowledged(List<UsageReportEvent> pending,
                                                          Map<String, Integer> retention) throws InterruptedException {
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            // Erased deployments' records (still in the topic, or replayed) must not bring the data back.
            // Checked before every attempt, so an erasure that completes while ClickHouse is away counts too.
            int before = pending.size();
            pending.removeIf(this::isErasedNow);
            count("erased", before - pending.size());
            try {
                Timer.Sample sample = Timer.start(metrics);
                List<UsageReportEvent> stored;
                try {
                    stored = writer.writeNew(pending, retention);
                } finally {
                    sample.stop(insertTimer);
                }
                clickhouseUp.set(1);
                return stored;
            } catch (SQLException e) {
                clickhouseUp.set(0);
                LOG.warnf("ClickHouse did not take a batch of %d reports (%s); retrying in %d ms, consumption paused",
                        pending.size(), e.getMessage(), backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private boolean isErasedNow(UsageReportEvent report) {
        try {
            return erased.isErased(report.tenant(), report.deployment());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking erasures", e);
        }
    }

    private Map<String, Integer> retentionOf(List<UsageReportEvent> batch) {
        Map<String, Integer> retention = new HashMap<>();
        for (UsageReportEvent report : batch) {
            retention.computeIfAbsent(report.tenant(), tenant -> plans.of(tenant)
                    .map(plan -> plan.tier().windowDays())
                    .onFailure().recoverWithItem(1095) // unknown plan: keep the longest; the TTL only ever deletes
                    .await().atMost(Duration.ofSeconds(10)));
        }
        return retention;
    }

    /** The reports of a record: one (schema versions 1 and 2), or a batch's (version 3), each complete. */
    private List<UsageReportEvent> parse(String value) {
        if (value == null) {
            throw new InvalidRecordException("empty record");
        }
        UsageReportEvent record;
        try {
            record = json.readValue(value, UsageReportEvent.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not a usage report: " + e.getOriginalMessage());
        }
        if (record.reports() != null && record.reports().isEmpty()) {
            throw new InvalidRecordException("missing reports");
        }
        for (UsageReportEvent report : record.carried()) {
            String missing = report == null ? "report" : report.reportId() == null ? "reportId"
                    : report.tenant() == null ? "tenant" : report.bundle() == null ? "bundle"
                    : report.version() == null ? "version" : report.deployment() == null ? "deployment"
                    : report.windowStart() == null ? "windowStart" : report.windowEnd() == null ? "windowEnd"
                    : report.receivedAt() == null ? "receivedAt" : null;
            if (missing != null) {
                // The whole record goes to the dead letters: a batch's reports are written together or not at all.
                throw new InvalidRecordException("missing " + missing);
            }
        }
        return record.carried();
    }

    private CompletableFuture<Void> deadLetter(ConsumerRecord<String, String> record, String reason) {
        LOG.warnf("Dead-lettering record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        metrics.counter("megacuration.analytics.dead.letters", "reason", reason.startsWith("missing") ? "missing-field"
                : reason.startsWith("empty") ? "empty" : "unparseable").increment();
        count("dead_letter");
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-source", (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> acked = new CompletableFuture<>();
        deadLetters.send(Message.of(record.value() == null ? "" : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers)
                        .build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

    private void count(String outcome) {
        count(outcome, 1);
    }

    private void count(String outcome, int n) {
        if (n > 0) {
            metrics.counter("megacuration.analytics.reports", "outcome", outcome).increment(n);
        }
    }

    /** A record that can never be stored, whatever is retried. */
    private static final class InvalidRecordException extends RuntimeException {
        InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
