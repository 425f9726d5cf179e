package dev.megacuration.analytics.support;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Writes records to the real {@code usage-reports} topic in the wire format ingest-api produces (schema
 * version 2), so analytics is tested on its own input.
 */
public final class UsageTopic implements AutoCloseable {
    /** One span entry of a report, with the allocator's statistics ({@code deltaNll} null: not measured). */
    public record Expand(long spanId, int expands, double residency, double swapRate, Double deltaNll) {
        public Expand(long spanId, int expands) {
            this(spanId, expands, 0.5, 0.2, 0.04);
        }
    }

    /** One stale flag of a report. */
    public record Stale(long spanId, String reason) {
    }

    private final KafkaProducer<String, String> producer;

    public UsageTopic() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(props);
    }

    public void send(String tenant, String bundle, String value) {
        try {
            producer.send(new ProducerRecord<>("usage-reports", tenant + "/" + bundle, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one report of an hour (the edge coarsens every window to hours) and returns its id. */
    public UUID report(String tenant, String bundle, String version, String deployment, Instant hour,
                       List<Expand> expands, List<Stale> stale) {
        UUID id = UUID.randomUUID();
        send(tenant, bundle, event(id, tenant, bundle, version, deployment, hour, expands, stale));
        return id;
    }

    /** A record of schema version 3: several reports (each as {@link #event} writes it) in one record. */
    public static String batch(String... events) {
        return "{\"schemaVersion\":3,\"reports\":[" + String.join(",", events) + "]}";
    }

    public static String event(UUID reportId, String tenant, String bundle, String version, String deployment,
                               Instant hour, List<Expand> expands, List<Stale> stale) {
        StringBuilder spans = new StringBuilder();
        for (Expand expand : expands) {
            spans.append(spans.isEmpty() ? "" : ",").append("{\"spanId\":").append(expand.spanId())
                    .append(",\"expands\":").append(expand.expands())
                    .append(",\"collapses\":1,\"residency\":").append(expand.residency())
                    .append(",\"swapRate\":").append(expand.swapRate())
                    .append(expand.deltaNll() == null ? "" : ",\"deltaNll\":" + expand.deltaNll() + ",\"deltaNllHorizon\":64")
                    .append(",\"lastAccessStep\":99,\"accessCount\":12}");
        }
        StringBuilder flags = new StringBuilder();
        for (Stale flag : stale) {
            flags.append(flags.isEmpty() ? "" : ",").append("{\"spanId\":").append(flag.spanId())
                    .append(",\"reason\":\"").append(flag.reason()).append("\"}");
        }
        return """
                {"schemaVersion":2,"reportId":"%s","tenant":"%s","bundle":"%s","version":"%s","deployment":"%s",
                 "windowStart":"%s","windowEnd":"%s","receivedAt":"%s","spans":[%s],"stale":[%s]}"""
                .formatted(reportId, tenant, bundle, version, deployment, hour, hour.plusSeconds(3600),
                        hour.plusSeconds(3600), spans, flags);
    }

    @Override
    public void close() {
        producer.close();
    }
}
