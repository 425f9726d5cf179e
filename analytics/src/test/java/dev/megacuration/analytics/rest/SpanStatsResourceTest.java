package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.megacuration.analytics.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka → ClickHouse → query API on the real servers, with real Keycloak tokens. Records are produced
 * straight to the topic in the wire format ingest-api writes, so this tests analytics alone.
 */
@QuarkusTest
class SpanStatsResourceTest {
    private static final long HOT = (1L << 56) | 11;
    private static final long RARE = (1L << 56) | 12;
    private static final long STALE = (2L << 56) | 3;
    private static final java.time.Instant TODAY = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
            .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    private static final java.time.Instant YESTERDAY = TODAY.minus(Duration.ofDays(1));

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaProducer<String, String> producer;
    private final String bundle = "analytics-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    @AfterEach
    void close() {
        producer.close();
    }

    @Test
    void publishesOnlySpansOfAtLeastKDeploymentsAndCountsARedeliveryOnce() throws Exception {
        String redelivered = null;
        for (int d = 0; d < 5; d++) {
            String record = event(UUID.randomUUID(), "deployment-" + d, d < 4 ? List.of(HOT, RARE) : List.of(HOT),
                    List.of(STALE));
            send(record);
            if (d == 0) {
                redelivered = record;
            }
        }
        send(redelivered); // Kafka at-least-once: the same record twice
        send("this is not a usage report"); // a poison record must not stop the pipeline
        send(eventV1(UUID.randomUUID(), "deployment-5", HOT)); // written before the schema upgrade

        JsonPath top = awaitDeployments("top-expanded", HOT, 6);
        assertEquals(6 * 4, top.getLong("spans.find { it.spanId == " + HOT + "L }.expands"),
                "six reports of 4 expands each (five of schema 2, one of schema 1); the redelivery is not counted");
        assertNull(top.get("spans.find { it.spanId == " + RARE + "L }"), "4 deployments are under k = 5");
        assertEquals(5, top.getInt("minDeployments"));

        JsonPath stale = awaitDeployments("stale", STALE, 5);
        assertEquals(5, stale.getLong("spans.find { it.spanId == " + STALE + "L }.staleReports"));
    }

    @Test
    void authorsReadTheirOwnTenantOnly() {
        given().auth().oauth2(Tokens.user("bob")).when().get(path("top-expanded"))
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(Tokens.user("carol")).when().get(path("top-expanded")).then().statusCode(403);
        given().when().get(path("top-expanded")).then().statusCode(401);
        given().auth().oauth2("not.a.token").when().get(path("top-expanded")).then().statusCode(401);
        given().auth().oauth2(Tokens.user("alice")).when().get(path("top-expanded"))
                .then().statusCode(200).body("tenant", equalTo("acme"));
        given().auth().oauth2(Tokens.service()).when().get(path("stale"))
                .then().statusCode(200).body("bundle", equalTo(bundle));
    }

    @Test
    void badQueriesAreProblems() {
        given().auth().oauth2(Tokens.user("alice")).queryParam("limit", 0).when().get(path("top-expanded"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(not(equalTo(null))));
        given().auth().oauth2(Tokens.user("alice")).when().get("/v1/tenants/acme/bundles/NOT_A_SLUG/stale")
                .then().statusCode(400).contentType("application/problem+json");
    }

    private String path(String metric) {
        return "/v1/tenants/acme/bundles/" + bundle + "/" + metric;
    }

    private JsonPath awaitDeployments(String metric, long spanId, int deployments) throws InterruptedException {
        String alice = Tokens.user("alice");
        JsonPath last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            last = given().auth().oauth2(alice).when().get(path(metric)).then().statusCode(200).extract().jsonPath();
            Integer seen = last.get("spans.find { it.spanId == " + spanId + "L }.deployments");
            if (seen != null && seen == deployments) {
                return last;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("span " + spanId + " never reached " + deployments + " deployments: "
                + (last == null ? "no answer" : last.prettify()));
    }

    private void send(String value) throws Exception {
        producer.send(new ProducerRecord<>("usage-reports", "acme/" + bundle, value)).get();
    }

    /** Schema version 1: expand counts only. */
    private String eventV1(UUID reportId, String deployment, long span) {
        return """
                {"schemaVersion":1,"reportId":"%s","tenant":"acme","bundle":"%s","version":"1.0.0",
                 "deployment":"%s","windowStart":"%s","windowEnd":"%s",
                 "receivedAt":"%s","expands":[{"spanId":%d,"count":4}],"stale":[]}"""
                .formatted(reportId, bundle, deployment, YESTERDAY, TODAY, TODAY, span);
    }

    /** Schema version 2, as ingest-api writes it now. */
    private String event(UUID reportId, String deployment, List<Long> expanded, List<Long> stale) {
        StringBuilder expands = new StringBuilder();
        for (long span : expanded) {
            expands.append(expands.isEmpty() ? "" : ",").append("{\"spanId\":").append(span)
                    .append(",\"expands\":4,\"collapses\":3,\"residency\":0.5,\"swapRate\":0.2,")
                    .append("\"deltaNll\":0.04,\"deltaNllHorizon\":64,\"lastAccessStep\":99,\"accessCount\":12}");
        }
        StringBuilder stales = new StringBuilder();
        for (long span : stale) {
            stales.append(stales.isEmpty() ? "" : ",").append("{\"spanId\":").append(span)
                    .append(",\"reason\":\"outdated\"}");
        }
        return """
                {"schemaVersion":2,"reportId":"%s","tenant":"acme","bundle":"%s","version":"1.0.0",
                 "deployment":"%s","windowStart":"%s","windowEnd":"%s",
                 "receivedAt":"%s","spans":[%s],"stale":[%s]}"""
                .formatted(reportId, bundle, deployment, YESTERDAY, TODAY, TODAY, expands, stales);
    }

}
