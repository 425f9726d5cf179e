package dev.megacuration.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.privacy.consent.ConsentService;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Each rule of the edge's contract, from the outside, on the real PostgreSQL and Kafka. */
@QuarkusTest
class EdgeRulesTest extends IngestTestBase {

    @Test
    void eachBadInputClassIsA400NamingTheFieldAndRule() throws Throwable {
        String key = consenting().ingestKey();
        UUID v1 = UUID.fromString("6f1c2a40-bc51-11ef-8f2e-0242ac120002");
        assertEquals(1, v1.version());
        expect400(key, report(v1), "reportIdRandom");
        expect400(key, report(UUID.randomUUID()).replace("2026-11-26T00:00:00Z", "2026-11-27T00:00:01Z"),
                "windowValid");
        expect400(key, report(UUID.randomUUID(), "1.0.0", 3, (1L << 56) | 2), "spans[0].gistSpan");
        expect400(key, report(UUID.randomUUID()).replace("\"residency\":0.25", "\"residency\":1.5"),
                "spans[0].residency");
        expect400(key, report(UUID.randomUUID()).replace("\"expands\":7", "\"expands\":99999999999"), null);
        // Wrong types are refused, not coerced: a fraction or a string where a count belongs.
        expect400(key, report(UUID.randomUUID()).replace("\"expands\":7", "\"expands\":7.5"), "spans[0].expands");
        expect400(key, report(UUID.randomUUID()).replace("\"expands\":7", "\"expands\":\"7\""), "spans[0].expands");
        expect400(key, report(UUID.randomUUID()).replace("\"horizon\":64", "\"horizon\":4096"),
                "spans[0].deltaNll.horizon");
        expect400(key, report(UUID.randomUUID()).replace("\"reason\":\"outdated\"", "\"reason\":\"I hate it\""),
                "stale[0].reason");
        expect400(key, report(UUID.randomUUID()).replace("\"tenant\"", "\"note\":\"free text\",\"tenant\""), "note");
        expect400(key, report(UUID.randomUUID()).replace("\"spanId\":\"", "\"spanId\":\"99999999999999999999999"),
                "spans[0].spanId");
        expect400(key, "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", null);
        expect400(key, "{\"reportId\": \"" + "\u00ff" + "\"}", null);
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'})
                .when().post("/v1/reports").then().statusCode(400).contentType("application/problem+json");
        assertTrue(publishedFor(bundle, 1, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void gzipBodiesAreAcceptedAndBombsAreCutOff() throws Throwable {
        String key = consenting().ingestKey();
        given().header("Authorization", "Bearer " + key).header("Content-Encoding", "gzip")
                .contentType("application/json").body(gzip(report(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)))
                .when().post("/v1/reports").then().statusCode(202);

        // 64 MiB of spaces inside a JSON string compress to about 64 KiB: over the 1 MiB limit once inflated.
        byte[] bomb = gzip(("{\"reportId\":\"" + " ".repeat(64 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < 1 << 20, "the compressed bomb itself is under the limit");
        given().header("Authorization", "Bearer " + key).header("Content-Encoding", "gzip")
                .contentType("application/json").body(bomb)
                .when().post("/v1/reports").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("1 MiB"));
        // 200 KiB of spaces compress about 1,000 times: under 1 MiB inflated, but over the ratio guard.
        byte[] dense = gzip(("{\"reportId\":\"" + " ".repeat(200 << 10) + "\"}").getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", "Bearer " + key).header("Content-Encoding", "gzip")
                .contentType("application/json").body(dense)
                .when().post("/v1/reports").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("100 times"));
        // A body that says gzip and is not, or is cut short, is the client's error, answered as such.
        byte[] gzipped = gzip(report(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        for (byte[] broken : List.of("plain text".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOf(gzipped, gzipped.length / 2))) {
            given().header("Authorization", "Bearer " + key).header("Content-Encoding", "gzip")
                    .contentType("application/json").body(broken)
                    .when().post("/v1/reports").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("not valid gzip"));
        }
        given().header("Authorization", "Bearer " + key).header("Content-Encoding", "br")
                .contentType("application/json").body(gzipped)
                .when().post("/v1/reports").then().statusCode(415).contentType("application/problem+json");
        assertEquals(1, publishedFor(bundle, 2, Duration.ofSeconds(5)).size());
    }

    @Test
    void aRepeatedReportIdIsAcceptedAgainButPublishedOnce() throws Throwable {
        String key = consenting().ingestKey();
        UUID id = UUID.randomUUID();
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(report(id))
                .when().post("/v1/reports").then().statusCode(202).body("outcome", equalTo("accepted"));
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(report(id))
                .when().post("/v1/reports").then().statusCode(202).body("outcome", equalTo("duplicate"));
        assertEquals(1, publishedFor(bundle, 2, Duration.ofSeconds(5)).size());

        // The same report id from another deployment is another report.
        String other = consenting().ingestKey();
        given().header("Authorization", "Bearer " + other).contentType("application/json").body(report(id))
                .when().post("/v1/reports").then().statusCode(202).body("outcome", equalTo("accepted"));
    }

    @Test
    void theBenchmarksBareEndpointIsOffUnlessConfigured() throws Throwable {
        given().contentType("application/json").body(report(UUID.randomUUID())).when().post("/v1/baseline/reports")
                .then().statusCode(404);
    }

    @Test
    void aBatchIsPublishedAsOneRecordOfItsReports() throws Throwable {
        String key = consenting().ingestKey();
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String batch = "{\"reports\":[" + String.join(",", ids.stream().map(this::report).toList()) + "]}";
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch)
                .urlEncodingEnabled(false).when().post("/v1/reports:batch").then().statusCode(202)
                .body("results.outcome", equalTo(List.of("accepted", "accepted", "accepted")));

        List<JsonNode> records = recordsFor(bundle, 3, Duration.ofSeconds(5));
        assertEquals(1, records.size(), "one record for the batch's three reports of one bundle");
        JsonNode record = records.get(0);
        assertEquals(3, record.get("schemaVersion").asInt());
        assertEquals(ids.stream().map(UUID::toString).toList(),
                java.util.stream.StreamSupport.stream(record.get("reports").spliterator(), false)
                        .map(report -> report.get("reportId").asText()).toList());
        for (JsonNode report : record.get("reports")) {
            // Each report as a single one is published: pseudonymized, hour-aligned, nothing of the sender.
            assertEquals(2, report.get("schemaVersion").asInt());
            assertEquals(32, report.get("deployment").asText().length(), "a pseudonym");
            assertEquals("2026-11-25T00:00:00Z", report.get("windowStart").asText());
        }
        assertFalse(record.toString().contains(key), "no credential");

        // Sent again, the batch is three duplicates and publishes nothing.
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch)
                .urlEncodingEnabled(false).when().post("/v1/reports:batch").then().statusCode(202)
                .body("results.outcome", equalTo(List.of("duplicate", "duplicate", "duplicate")));
        assertEquals(List.of(), recordsFor(bundle, 1, Duration.ofSeconds(2)));
    }

    /**
     * The records the edge writes must fit what Kafka takes (max.request.size, 1 MiB) for every body the edge
     * takes, whatever the entries leave out: a statistic left out is not written as a null.
     */
    @Test
    void theSparsestBodiesWithinTheLimitsArePublished() throws Throwable {
        String key = consenting().ingestKey();
        StringBuilder spans = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            spans.append(i == 0 ? "" : ",").append("{\"spanId\":\"").append(Long.toUnsignedString((1L << 56) | i))
                    .append("\"}");
        }
        UUID single = UUID.randomUUID();
        String report = sparse(single, spans);
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(report)
                .when().post("/v1/reports").then().statusCode(202).body("outcome", equalTo("accepted"));
        JsonNode published = publishedFor(bundle, 1, Duration.ofSeconds(10)).get(0);
        assertEquals(10_000, published.get("spans").size());
        assertFalse(published.get("spans").get(0).has("residency"), "a statistic left out is not written");

        // A batch of such reports, as many as fit in 1 MiB.
        List<String> reports = new ArrayList<>();
        int bytes = 20;
        while (bytes + report.length() + 1 < (1 << 20)) {
            reports.add(sparse(UUID.randomUUID(), spans));
            bytes += report.length() + 1;
        }
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"reports\":[" + String.join(",", reports) + "]}").urlEncodingEnabled(false)
                .when().post("/v1/reports:batch").then().statusCode(202);
        assertEquals(reports.size(), publishedFor(bundle, reports.size(), Duration.ofSeconds(10)).size());
    }

    private String sparse(UUID reportId, CharSequence spans) {
        return """
                {"reportId":"%s","tenant":"acme","bundle":"%s","version":"1.0.0",
                 "windowStart":"2026-11-25T00:00:00Z","windowEnd":"2026-11-26T00:00:00Z",
                 "spans":[%s],"stale":[]}""".formatted(reportId, bundle, spans);
    }

    @Test
    void batchesAnswerPerReport() throws Throwable {
        ConsentService.Registration deployment = consenting();
        String key = deployment.ingestKey();
        UUID good = UUID.randomUUID();
        UUID unknownRelease = UUID.randomUUID();
        String batch = "{\"reports\":[" + report(good) + "," + report(unknownRelease, "7.7.7", (1L << 56) | 1,
                (1L << 56) | 2) + "]}";
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch)
                .urlEncodingEnabled(false).when().post("/v1/reports:batch")
                .then().statusCode(200)
                .body("results[0].status", equalTo(202)).body("results[1].status", equalTo(422))
                .body("results[1].outcome", equalTo("unknown-release"));
        String allGood = "{\"reports\":[" + report(UUID.randomUUID()) + "," + report(UUID.randomUUID()) + "]}";
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(allGood)
                .urlEncodingEnabled(false).when().post("/v1/reports:batch").then().statusCode(202);
        given().header("Authorization", "Bearer " + key).contentType("application/json").body("{\"reports\":[]}")
                .urlEncodingEnabled(false).when().post("/v1/reports:batch").then().statusCode(400);
        // A report id twice in one batch is sent once; the repeat shares the first one's answer.
        UUID twice = UUID.randomUUID();
        given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"reports\":[" + report(twice) + "," + report(twice) + "]}")
                .urlEncodingEnabled(false).when().post("/v1/reports:batch").then().statusCode(202)
                .body("results[0].outcome", equalTo("accepted")).body("results[1].outcome", equalTo("duplicate"));
        assertEquals(4, publishedFor(bundle, 5, Duration.ofSeconds(5)).size());

        // The refusal is among the deployment's ingestion warnings, with its reason; nothing of the report.
        given().header("Authorization", "Bearer " + key).when().get("/v1/warnings")
                .then().statusCode(200).body("[0].status", equalTo(422))
                .body("[0].reportId", equalTo(unknownRelease.toString()))
                .body("[0].reason", containsString("7.7.7"));
    }

    @Test
    void aDeploymentOverItsRateGets429WithRetryAfter() throws Throwable {
        String key = consenting().ingestKey();
        // 60 requests at once, so they arrive far faster than the bucket (burst 20, 5/s in tests) refills,
        // however slow this machine is today.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        List<java.util.concurrent.Future<io.restassured.response.ExtractableResponse<io.restassured.response.Response>>>
                responses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String body = report(UUID.randomUUID());
            responses.add(pool.submit(() -> given().header("Authorization", "Bearer " + key)
                    .contentType("application/json").body(body).when().post("/v1/reports").then().extract()));
        }
        List<Integer> statuses = new ArrayList<>();
        String retryAfter = null;
        for (var future : responses) {
            var response = future.get();
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                retryAfter = response.header("Retry-After");
            }
        }
        pool.shutdown();
        assertTrue(statuses.contains(202) && statuses.contains(429), statuses.toString());
        assertEquals("5", retryAfter);
        // Another deployment is not slowed down by this one.
        given().header("Authorization", "Bearer " + consenting().ingestKey()).contentType("application/json")
                .body(report(UUID.randomUUID())).when().post("/v1/reports").then().statusCode(202);
    }

    @Test
    void operatorsSeeMetricsHealthAndTheContract() {
        // Bytes are counted as received, even for a request that is then refused.
        given().contentType("application/json").body(report(UUID.randomUUID())).when().post("/v1/reports")
                .then().statusCode(401);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("megacuration_ingest_reports_total"))
                .body(containsString("megacuration_ingest_request_bytes_count{encoding=\"identity\"}"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(containsString("Messaging")));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", notNullValue()).body(containsString("/v1/reports:batch"));
    }

    private ConsentService.Registration consenting() throws Throwable {
        ConsentService.Registration registration = register();
        optIn(registration, true);
        return registration;
    }

    private static void expect400(String key, String body, String field) {
        var response = given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .when().post("/v1/reports").then().statusCode(400).contentType("application/problem+json");
        if (field != null) {
            response.body("errors.field", hasItem(field));
        }
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
