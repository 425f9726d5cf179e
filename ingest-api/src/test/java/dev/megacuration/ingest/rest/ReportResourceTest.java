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

/** The thin path of the edge against the real PostgreSQL and Kafka that deploy/local started. */
@QuarkusTest
class ReportResourceTest extends IngestTestBase {
    @jakarta.inject.Inject
    dev.megacuration.privacy.erasure.ErasureRepository erasures;

    @Test
    void everyAnswerCarriesARequestIdAndOnlyAWellFormedOneIsTakenFromTheCaller() {
        String mine = "lb-" + UUID.randomUUID();
        given().header("X-Request-Id", mine).contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(401).header("X-Request-Id", equalTo(mine));
        String replaced = given().header("X-Request-Id", "x\" onmouseover=alert(1)")
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports")
                .then().statusCode(401).extract().header("X-Request-Id");
        assertEquals(replaced, UUID.fromString(replaced).toString(), "a fresh id instead of the caller's text");
        assertEquals(4, UUID.fromString(replaced).version(), "a random UUID");
        assertEquals(2, UUID.fromString(replaced).variant(), "of the IETF variant");
        String another = given().contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports").then().statusCode(401).extract().header("X-Request-Id");
        assertFalse(another.equals(replaced), "each request gets its own id");
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
        assertEquals(2, event.get("schemaVersion").asInt());
        assertEquals(7, event.get("spans").get(0).get("expands").asInt());
        assertEquals((1L << 56) | 3, event.get("spans").get(0).get("spanId").asLong());
        assertEquals(64, event.get("spans").get(0).get("deltaNllHorizon").asInt());
        assertEquals("outdated", event.get("stale").get(0).get("reason").asText());
        String pseudonym = event.get("deployment").asText();
        assertEquals(32, pseudonym.length());
        String record = event.toString();
        assertFalse(record.contains(registration.deployment().id.toString()),
                "the deployment id must not leave the ingest edge");
        assertFalse(record.contains(registration.ingestKey()), "nor its credential");
        assertFalse(record.contains("127.0.0.1"), "nor the client's address");
        assertFalse(record.contains("Apache-HttpClient"), "nor its user agent");
        for (String time : List.of("windowStart", "windowEnd", "receivedAt")) {
            assertTrue(event.get(time).asText().endsWith(":00:00Z"), time + " is coarsened to the hour: " + event);
        }
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
    void authorWideConsentCoversEveryBundleAndABundleDecisionStaysAnException() throws Throwable {
        ConsentService.Registration registration = register();
        VertxContextSupport.subscribeAndAwait(() -> consent.setConsent("test-consumer",
                registration.deployment().id, "acme", "*", true));
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports").then().statusCode(202);

        optIn(registration, false);
        assertEquals(403, statusWithinFiveSeconds(registration.ingestKey(), 403), "the exception applies within 5 s");
    }

    /** Posts reports until one gets the expected status or 5 s have passed; returns the last status. */
    private int statusWithinFiveSeconds(String ingestKey, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            status = given().header("Authorization", "Bearer " + ingestKey).contentType("application/json")
                    .body(report(UUID.randomUUID())).when().post("/v1/reports").then().extract().statusCode();
            if (status != expected) {
                Thread.sleep(200);
            }
        } while (status != expected && System.nanoTime() < deadline);
        return status;
    }

    @jakarta.inject.Inject
    io.quarkus.cache.CacheManager caches;

    @Test
    void credentialAndConsentAnswersAreCachedByKeyHashNeverTheKey() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports").then().statusCode(202);
        var credentials = caches.getCache("credentials").orElseThrow().as(io.quarkus.cache.CaffeineCache.class);
        assertTrue(credentials.keySet().contains(dev.megacuration.privacy.consent.IngestKeys.hash(
                registration.ingestKey())), "cached under the key's hash");
        assertFalse(credentials.keySet().stream().anyMatch(key -> key.toString().contains(registration.ingestKey())));
        assertFalse(caches.getCache("consent").orElseThrow().as(io.quarkus.cache.CaffeineCache.class).keySet().isEmpty());
    }

    @Test
    void anErasedDeploymentsCredentialStopsWorkingWithinFiveSeconds() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(report(UUID.randomUUID()))
                .when().post("/v1/reports").then().statusCode(202);
        erasures.request(registration.deployment().id, "test-consumer", "2026-11").await().indefinitely();
        assertEquals(401, statusWithinFiveSeconds(registration.ingestKey(), 401));
    }

    @Test
    void reportsAboutReleasesOrSpansTheRegistryDoesNotHaveGet422() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        String unknownVersion = report(UUID.randomUUID(), "9.9.9", (1L << 56) | 1, (1L << 56) | 2);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(unknownVersion)
                .when().post("/v1/reports")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("9.9.9"));

        long beyondLod2 = (2L << 56) | (1L << 10);
        long beyondLod1 = (1L << 56) | (1L << 15);
        String unknownSpans = report(UUID.randomUUID(), "1.0.0", beyondLod1, beyondLod2);
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
                 "spans":[{"spanId":"-1","expands":3}],"stale":[]}""".formatted(UUID.randomUUID(), bundle);
        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body(body)
                .when().post("/v1/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("tenant"))
                .body("errors.field", hasItem("spans[0].spanId"))
                .body("errors.field", hasItem("windowValid"));

        given().header("Authorization", "Bearer " + registration.ingestKey())
                .contentType("application/json").body("{\"reportId\": ")
                .when().post("/v1/reports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a readable report"));
        assertTrue(publishedFor(bundle, 1, Duration.ofSeconds(2)).isEmpty());
    }

}
