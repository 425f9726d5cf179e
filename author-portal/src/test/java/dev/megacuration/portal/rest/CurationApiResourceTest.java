package dev.megacuration.portal.rest;

import static dev.megacuration.portal.rest.Fixtures.releasePath;
import static dev.megacuration.portal.rest.Fixtures.serviceToken;
import static dev.megacuration.portal.rest.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchivedRun.Action;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.rebuild.Progress;
import dev.megacuration.format.rebuild.RebuildRequest;
import dev.megacuration.format.rebuild.ReleaseRebuild;
import dev.megacuration.format.rebuild.Removal;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Plans, their review, curated uploads, the audit log and rollback, on the real PostgreSQL with real tokens.
 * The plan documents are what the runner submits; the curated release is built by the shared rebuild.
 */
@QuarkusTest
class CurationApiResourceTest {
    private static final long COMPACTED = SpanId.of(1, 3);
    private static final long ARCHIVED = SpanId.of(1, 40);
    private final String bundle = "cur-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aPersonApprovesTheRunnerAppliesTheAuditLogTellsAndARollbackUndoes() throws Exception {
        String alice = token("alice");
        String service = serviceToken();
        Path base = Fixtures.release(21);
        Fixtures.upload(alice, "acme", bundle, "1.0.0", base).statusCode(201);

        UUID planId = UUID.randomUUID();
        String plan = plan(planId, "1.0.0", "manual", false, List.of(change(COMPACTED, "COMPACT"),
                change(ARCHIVED, "ARCHIVE")));
        propose(service, plan).statusCode(201).body("status", equalTo("proposed")).body("spansChanged", equalTo(2));
        propose(service, plan).statusCode(200).body("status", equalTo("proposed"));
        propose(service, plan.replace("\"bytesSaved\" : 300", "\"bytesSaved\" : 301")).statusCode(409)
                .contentType("application/problem+json");
        propose(service, "{not json").statusCode(400).contentType("application/problem+json");
        propose(service, plan(UUID.randomUUID(), "9.9.9", "manual", false, List.of())).statusCode(404);

        // Another tenant's author sees nothing; the runner's service account may not approve; a person may.
        given().auth().oauth2(token("bob")).when().get(plans() + "/" + planId).then().statusCode(404);
        decide(service, planId, "approve").statusCode(403);
        decide(token("bob"), planId, "approve").statusCode(404);
        decide(alice, planId, "approve").statusCode(200).body("status", equalTo("approved"))
                .body("decidedBy", equalTo("alice")).body("decidedByPerson", equalTo(true));
        decide(alice, planId, "reject").statusCode(409);

        given().auth().oauth2(service).when().post(plans() + "/" + planId + "/apply").then().statusCode(200)
                .body("status", equalTo("applying")).body("document.planId", equalTo(planId.toString()));
        Path curated = rebuild(base, planId, List.of(new Removal(COMPACTED, Action.COMPACT, 0, 3 * 32, 32),
                new Removal(ARCHIVED, Action.ARCHIVE, 0, 40 * 32, 32), new Removal(ARCHIVED, Action.ARCHIVE, 1, 40, 1)));
        upload(service, "1.0.0+c1", curated).statusCode(201).body("provenance", equalTo("curated"))
                .body("curationPlan", equalTo(planId.toString())).body("formatVersion", equalTo(2));
        upload(service, "1.0.0+c2", curated).statusCode(409); // the plan is applied: not twice
        // The same version again (a killed runner's next attempt, whose first upload the portal finished):
        // the plan's state is the answer, not the version clash.
        upload(service, "1.0.0+c1", curated).statusCode(409)
                .body("detail", containsString("is applied"));

        JsonPath index = given().auth().oauth2(alice).queryParam("limit", 50)
                .when().get(releasePath("acme", bundle, "1.0.0+c1") + "/spans").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("compacted", index.getString("spans.find { it.spanId == " + COMPACTED + "L }.state"));
        assertEquals("archived", index.getString("spans.find { it.spanId == " + ARCHIVED + "L }.state"));
        assertEquals("present", index.getString("spans.find { it.spanId == " + SpanId.of(1, 4) + "L }.state"));
        byte[] archive = given().auth().oauth2(alice).when()
                .get(releasePath("acme", bundle, "1.0.0+c1") + "/files/" + ArchiveFile.FILE_NAME)
                .then().statusCode(200).extract().asByteArray();
        assertEquals(Files.size(curated.resolve(ArchiveFile.FILE_NAME)), archive.length);

        JsonPath log = given().auth().oauth2(alice).queryParam("plan", planId).when().get(events()).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("proposed", "approved", "apply_started", "span_compact", "span_archive",
                "release_published"), log.getList("action"));
        assertEquals("present", log.getString("find { it.action == 'span_compact' }.oldState"));
        assertEquals("compacted", log.getString("find { it.action == 'span_compact' }.newState"));
        assertEquals("archived", log.getString("find { it.action == 'span_archive' }.newState"));
        assertNotNull(log.getString("find { it.action == 'span_archive' }.newSha256"), "the archived run's checksum");
        given().auth().oauth2(alice).queryParam("span", ARCHIVED).when().get(events()).then().statusCode(200)
                .body("size()", equalTo(1));
        given().auth().oauth2(token("bob")).when().get(events()).then().statusCode(404);

        // Roll back: the release before the plan is current again, the curated one withdrawn (not deleted).
        given().auth().oauth2(alice).when().post(plans() + "/" + planId + "/rollback").then().statusCode(200)
                .body("status", equalTo("rolled_back")).body("rolledBackBy", equalTo("alice"));
        given().auth().oauth2(alice).when().post(plans() + "/" + planId + "/rollback").then().statusCode(409);
        JsonPath releases = given().auth().oauth2(alice).when().get("/api/tenants/acme/bundles/" + bundle + "/releases")
                .then().statusCode(200).extract().jsonPath();
        assertNotNull(releases.get("find { it.version == '1.0.0+c1' }.withdrawnAt"));
        assertNull(releases.get("find { it.version == '1.0.0' }.withdrawnAt"));
        propose(service, plan(UUID.randomUUID(), "1.0.0+c1", "manual", false, List.of())).statusCode(409)
                .body("detail", containsString("withdrawn"));
    }

    @Test
    void paranoidPlansApprovedByThePolicyOnlyArchiveAndRestoresNeedNoApproval() throws Exception {
        String service = serviceToken();
        Path base = Fixtures.release(22);
        Fixtures.upload(token("alice"), "acme", bundle, "1.0.0", base).statusCode(201);
        UUID planId = UUID.randomUUID();
        long deleted = SpanId.of(1, 9);
        propose(service, plan(planId, "1.0.0", "auto", true, List.of(change(deleted, "DELETE")))).statusCode(201)
                .body("status", equalTo("approved")).body("decidedBy", equalTo("policy"))
                .body("deletesAllowed", equalTo(false));

        List<Removal> delete = List.of(new Removal(deleted, Action.DELETE, 0, 9 * 32, 32),
                new Removal(deleted, Action.DELETE, 1, 9, 1));
        upload(service, "1.0.0+c1", rebuild(base, planId, delete)).statusCode(409)
                .body("detail", containsString("Paranoia"));
        List<Removal> archived = delete.stream().map(r -> new Removal(r.spanId(), Action.ARCHIVE, r.level(), r.first(),
                r.count())).toList();
        Path curated = rebuild(base, planId, archived);
        upload(service, "1.0.0+c1", curated).statusCode(201);

        // A restore plan is approved by nature and brings the span back.
        UUID restoreId = UUID.randomUUID();
        String restore = plan(restoreId, "1.0.0+c1", null, false, List.of(change(deleted, "RESTORE")))
                .replace("\"kind\" : \"curation\"", "\"kind\" : \"restore\"");
        propose(service, restore).statusCode(201).body("status", equalTo("approved"));
        Path back = Files.createTempDirectory("restored").resolve("r");
        ReleaseRebuild.rebuild(curated, back, new RebuildRequest(restoreId, "1.0.0+c1", List.of(), Set.of(deleted),
                Instant.now(), null), Progress.NONE);
        upload(service, "1.0.0+c2", back).statusCode(201).body("formatVersion", equalTo(1));
        assertTrue(given().auth().oauth2(service).queryParam("plan", restoreId).when().get(events()).then()
                .statusCode(200).extract().jsonPath().getList("action").contains("span_restore"));
    }

    private static String change(long spanId, String action) {
        return "{\"spanId\" : " + spanId + ", \"level\" : 1, \"index\" : " + SpanId.index(spanId) + ", \"action\" : \""
                + action + "\", \"reason\" : \"test\", \"bytesSaved\" : 150}";
    }

    private String plan(UUID id, String baseVersion, String approval, boolean paranoia, List<String> changes) {
        String policy = approval == null ? "" : "\"policy\" : {\"paranoia\" : " + paranoia + ", \"approval\" : \""
                + approval + "\", \"retention_days\" : 30},";
        return "{\"planId\" : \"" + id + "\", \"kind\" : \"curation\", \"tenant\" : \"acme\", \"bundle\" : \"" + bundle
                + "\", \"baseVersion\" : \"" + baseVersion + "\", " + policy
                + " \"totals\" : {\"bytesSaved\" : 300}, \"changes\" : [" + String.join(",", changes) + "]}";
    }

    private static Path rebuild(Path base, UUID planId, List<Removal> removals) throws Exception {
        Path out = Files.createTempDirectory("curated").resolve("release");
        Instant now = Instant.now();
        ReleaseRebuild.rebuild(base, out, new RebuildRequest(planId, "1.0.0", removals, Set.of(), now,
                now.plus(Duration.ofDays(30))), Progress.NONE);
        return out;
    }

    private io.restassured.response.ValidatableResponse upload(String token, String version, Path dir) {
        RequestSpecification request = Fixtures.uploadOf(token, dir);
        if (Files.exists(dir.resolve(ArchiveFile.FILE_NAME))) {
            request.multiPart(ArchiveFile.FILE_NAME, dir.resolve(ArchiveFile.FILE_NAME).toFile(),
                    "application/octet-stream");
            request.multiPart("archiveSha256", Fixtures.sha256(dir.resolve(ArchiveFile.FILE_NAME)));
        }
        return request.when().post(releasePath("acme", bundle, version)).then();
    }

    private io.restassured.response.ValidatableResponse propose(String token, String document) {
        return given().auth().oauth2(token).contentType("application/json").body(document).when().post(plans()).then();
    }

    private io.restassured.response.ValidatableResponse decide(String token, UUID id, String decision) {
        return given().auth().oauth2(token).contentType("application/json")
                .body("{\"decision\": \"" + decision + "\", \"comment\": \"looks right\"}")
                .when().post(plans() + "/" + id + "/decision").then();
    }

    private String plans() {
        return "/api/tenants/acme/bundles/" + bundle + "/plans";
    }

    private String events() {
        return "/api/tenants/acme/bundles/" + bundle + "/curation-events";
    }
}
