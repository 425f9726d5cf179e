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

/** Against the real PostgreSQL and Kafka that deploy/local started for this build. */
@QuarkusTest
class ReportResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ConsentService consent;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaConsumer<String, String> topic;
    private final String bundle = "ingest-test-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * The registry is the portal's API, which is not running in this module's tests: a stand-in knows one
     * release of the test bundle. The real registry is exercised end to end in the root src/test.
     */
    @BeforeEach
    void registry() {
        QuarkusMock.installMockForType(new ReleaseCatalog(null) {
            @Override
            public Uni<Optional<ReleaseShape>> release(String tenant, String bundleName, String version) {
                boolean known = tenant.equals("acme") && bundleName.equals(bundle) && version.equals("1.0.0");
                return Uni.createFrom().item(known ? Optional.of(new ReleaseShape(version, 1 << 20, 1L << 15, 1L << 10))
                        : Optional.empty());
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

    @Test
    void consentingDeploymentIsPublishedUnderAPseudonym() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        UUID reportId = UUID.randomUUID();

        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(reportId))
                .when().post("/v1/reports")
                .then().statusCode(202).body("reportId", equalTo(reportId.toString()));

        List<JsonNode> published = publishedFor(bundle, 1, Duration.ofSeconds(15));
        assertEquals(1, published.size());
        JsonNode event = published.get(0);
        assertEquals(reportId.toString(), event.get("reportId").asText());
        assertEquals(7, event.get("expands").get(0).get("count").asInt());
        assertEquals("outdated", event.get("stale").get(0).get("reason").asText());
        String pseudonym = event.get("deployment").asText();
        assertEquals(32, pseudonym.length());
        assertFalse(event.toString().contains(registration.deployment().id.toString()),
                "the deployment id must not leave the ingest edge");
    }

    @Test
    void deploymentThatHasNotOptedInGets403AndNothingIsPublished() throws Throwable {
        ConsentService.Registration registration = register();
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(403).contentType("application/problem+json")
                .body("status", equalTo(403));

        optIn(registration, true);
        optIn(registration, false); // opting out again wins: the newest ledger row decides
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(403);

        assertTrue(publishedFor(bundle, 1, Duration.ofSeconds(3)).isEmpty());
    }

    @Test
    void reportsAboutReleasesOrSpansTheRegistryDoesNotHaveGet422() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        String unknownVersion = report(UUID.randomUUID(), "9.9.9", 1, 2);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(unknownVersion)
                .when().post("/v1/reports")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("9.9.9"));

        long beyondLod2 = (2L << 56) | (1L << 10);
        long levelThree = 3L << 56;
        String unknownSpans = report(UUID.randomUUID(), "1.0.0", levelThree, beyondLod2);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(unknownSpans)
                .when().post("/v1/reports")
                .then().statusCode(422).body("detail", containsString(String.valueOf(beyondLod2)));
        assertTrue(publishedFor(bundle, 1, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void unknownKeyGets401() {
        given().header("Authorization", "Bearer mcd_not-a-key")
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(401);
    }

    @Test
    void invalidReportGets400WithTheFieldsNamed() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        String body = """
                {"reportId":"%s","tenant":"Not A Slug","bundle":"%s","version":"1.0.0",
                 "windowStart":"2026-11-25T00:00:00Z","windowEnd":"2026-11-24T00:00:00Z",
                 "expands":[{"spanId":-1,"count":3}],"stale":[]}""".formatted(UUID.randomUUID(), bundle);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(body)
                .when().post("/v1/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("tenant"))
                .body("errors.field", hasItem("expands[0].spanId"))
                .body("errors.field", hasItem("windowOrdered"));

        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body("{\"reportId\": ")
                .when().post("/v1/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a readable report"));
        assertTrue(publishedFor(bundle, 1, Duration.ofSeconds(2)).isEmpty());
    }

    private ConsentService.Registration register() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> consent.register("test-consumer", "ingest test"));
    }

    private void optIn(ConsentService.Registration registration, boolean optedIn) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> consent.setConsent("test-consumer",
                registration.deployment().id, "acme", bundle, optedIn));
    }

    private String report(UUID reportId) {
        return report(reportId, "1.0.0", (1L << 56) | 3, 42);
    }

    private String report(UUID reportId, String version, long expanded, long stale) {
        return """
                {"reportId":"%s","tenant":"acme","bundle":"%s","version":"%s",
                 "windowStart":"2026-11-25T00:00:00Z","windowEnd":"2026-11-26T00:00:00Z",
                 "expands":[{"spanId":%s,"count":7}],
                 "stale":[{"spanId":%s,"reason":"outdated"}]}""".formatted(reportId, bundle, version,
                Long.toUnsignedString(expanded), Long.toUnsignedString(stale));
    }

    private List<JsonNode> publishedFor(String bundleName, int wanted, Duration wait) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (found.size() < wanted && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : topic.poll(Duration.ofMillis(200))) {
                JsonNode event = JSON.readTree(record.value());
                if (bundleName.equals(event.get("bundle").asText())) {
                    found.add(event);
                }
            }
        }
        return found;
    }
}
