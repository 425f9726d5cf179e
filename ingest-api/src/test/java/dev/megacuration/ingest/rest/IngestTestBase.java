package dev.megacuration.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.ingest.client.ReleaseCatalog;
import dev.megacuration.ingest.client.ReleaseShape;
import dev.megacuration.privacy.consent.ConsentService;
import io.quarkus.test.junit.QuarkusMock;
import io.smallrye.mutiny.Uni;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared set-up of the ingest tests: the real PostgreSQL and Kafka that deploy/local started for this build,
 * a stand-in registry, a consumer of the topic, and report builders.
 */
abstract class IngestTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ConsentService consent;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaConsumer<String, String> topic;
    final String bundle = "ingest-test-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * The registry is the portal's API, which is not running in this module's tests: a stand-in knows one
     * release of the test bundle. The real registry is exercised end to end in the root src/test.
     */
    @BeforeEach
    void registry() {
        QuarkusMock.installMockForType(new ReleaseCatalog(null, null) {
            @Override
            public Uni<Optional<ReleaseShape>> release(String tenant, String bundleName, String version) {
                return Uni.createFrom().item(releaseIfKept(tenant, bundleName, version));
            }

            // As if every answer were kept: a deployment's first report (its consent not kept yet) takes the
            // edge's asking path, the next ones the kept path.
            @Override
            public Optional<ReleaseShape> releaseIfKept(String tenant, String bundleName, String version) {
                boolean known = tenant.equals("acme") && bundleName.equals(bundle) && version.equals("1.0.0");
                return known ? Optional.of(new ReleaseShape(version, 1 << 20, 1L << 15, 1L << 10)) : Optional.empty();
            }
        }, ReleaseCatalog.class);
    }

    @BeforeEach
    void watchTopic() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        topic = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = topic.partitionsFor("usage-reports").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        topic.assign(partitions);
        topic.seekToEnd(partitions);
        partitions.forEach(topic::position); // resolve the end offsets now, before anything is sent
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    ConsentService.Registration register() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> consent.register("test-consumer", "ingest test"));
    }

    void optIn(ConsentService.Registration registration, boolean optedIn) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> consent.setConsent("test-consumer",
                registration.deployment().id, "acme", bundle, optedIn));
    }

    String report(UUID reportId) {
        return report(reportId, "1.0.0", (1L << 56) | 3, (2L << 56) | 42);
    }

    String report(UUID reportId, String version, long expanded, long stale) {
        return """
                {"reportId":"%s","tenant":"acme","bundle":"%s","version":"%s",
                 "windowStart":"2026-11-25T00:00:00Z","windowEnd":"2026-11-26T00:00:00Z",
                 "spans":[{"spanId":"%s","expands":7,"collapses":6,"residency":0.25,"swapRate":0.1,
                           "deltaNll":{"value":0.031,"horizon":64},"lastAccessStep":123456,"accessCount":21}],
                 "stale":[{"spanId":"%s","reason":"outdated"}]}""".formatted(reportId, bundle, version,
                Long.toUnsignedString(expanded), Long.toUnsignedString(stale));
    }

    /** The reports published for the bundle, each as its own record or inside a batch record. */
    List<JsonNode> publishedFor(String bundleName, int wanted, Duration wait) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode record : recordsFor(bundleName, wanted, wait)) {
            if (record.has("reports")) {
                record.get("reports").forEach(found::add);
            } else {
                found.add(record);
            }
        }
        return found;
    }

    /** The records published for the bundle (keyed tenant/bundle), until there are as many reports as wanted. */
    List<JsonNode> recordsFor(String bundleName, int wantedReports, Duration wait) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        int reports = 0;
        long deadline = System.nanoTime() + wait.toNanos();
        while (reports < wantedReports && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : topic.poll(Duration.ofMillis(200))) {
                if (record.key().equals("acme/" + bundleName)) {
                    JsonNode value = JSON.readTree(record.value());
                    found.add(value);
                    reports += value.has("reports") ? value.get("reports").size() : 1;
                }
            }
        }
        return found;
    }

}
