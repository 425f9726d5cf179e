package dev.megacuration.portal.rest;

import static dev.megacuration.portal.rest.Fixtures.releasePath;
import static dev.megacuration.portal.rest.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.SpanId;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.service.ReleaseService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Uploads, downloads, the span index and tags, on the real PostgreSQL with real Keycloak tokens. */
@QuarkusTest
class ReleaseApiResourceTest {
    private final String bundle = "rel-" + UUID.randomUUID().toString().substring(0, 8);
    @Inject
    ReleaseService releases;

    @Test
    void uploadedReleaseDownloadsByteForByteAndResumesWithRanges() throws Exception {
        String alice = token("alice");
        Path dir = Fixtures.release(5);
        Fixtures.upload(alice, "acme", bundle, "1.0.0", dir).statusCode(201)
                .header("Location", containsString(releasePath("acme", bundle, "1.0.0")))
                .body("numTokens", equalTo(70_000)).body("numLod1", equalTo(2187)).body("numLod2", equalTo(68))
                .body("provenance", equalTo("imported"));

        for (String file : Fixtures.FILES) {
            byte[] expected = Files.readAllBytes(dir.resolve(file));
            byte[] body = given().auth().oauth2(alice).when().get(releasePath("acme", bundle, "1.0.0") + "/files/" + file)
                    .then().statusCode(200).header("Accept-Ranges", "bytes")
                    .header("ETag", "\"" + Fixtures.sha256(dir.resolve(file)) + "\"")
                    .extract().asByteArray();
            assertArrayEquals(expected, body, file);
        }

        byte[] lod0 = Files.readAllBytes(dir.resolve("LOD0.ctx"));
        String url = releasePath("acme", bundle, "1.0.0") + "/files/LOD0.ctx";
        byte[] head = given().auth().oauth2(alice).header("Range", "bytes=0-99").when().get(url)
                .then().statusCode(206).header("Content-Range", "bytes 0-99/" + lod0.length).extract().asByteArray();
        byte[] rest = given().auth().oauth2(alice).header("Range", "bytes=100-").when().get(url)
                .then().statusCode(206).extract().asByteArray();
        byte[] resumed = new byte[head.length + rest.length];
        System.arraycopy(head, 0, resumed, 0, head.length);
        System.arraycopy(rest, 0, resumed, head.length, rest.length);
        assertArrayEquals(lod0, resumed, "a download resumed from byte 100 reassembles the file");
        byte[] tail = given().auth().oauth2(alice).header("Range", "bytes=-64").when().get(url)
                .then().statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(lod0, lod0.length - 64, lod0.length), tail);
        given().auth().oauth2(alice).header("Range", "bytes=" + lod0.length + "-").when().get(url)
                .then().statusCode(416).header("Content-Range", "bytes */" + lod0.length);
    }

    @Test
    void corruptOrMismatchedUploadsAreRefusedAndLeaveNothingBehind() throws Exception {
        String alice = token("alice");

        Path truncated = Fixtures.release(6);
        try (RandomAccessFile file = new RandomAccessFile(truncated.resolve("LOD1.ctx").toFile(), "rw")) {
            file.setLength(file.length() - 7);
        }
        Fixtures.upload(alice, "acme", bundle, "1.0.0", truncated).statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("truncated"));

        Path badMagic = Fixtures.release(6);
        byte[] bytes = Files.readAllBytes(badMagic.resolve("LOD0.ctx"));
        bytes[0] = 0;
        Files.write(badMagic.resolve("LOD0.ctx"), bytes);
        Fixtures.upload(alice, "acme", bundle, "1.0.0", badMagic).statusCode(400)
                .body("detail", containsString("bad magic"));

        Path absurd = Fixtures.release(6);
        byte[] header = Files.readAllBytes(absurd.resolve("LOD2.ctx"));
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(14, Long.MAX_VALUE / 3);
        Files.write(absurd.resolve("LOD2.ctx"), header);
        Fixtures.upload(alice, "acme", bundle, "1.0.0", absurd).statusCode(400).body("detail", containsString("absurd"));

        Path wrongLevel = Fixtures.release(6);
        byte[] lod1 = Files.readAllBytes(wrongLevel.resolve("LOD1.ctx"));
        lod1[6] = 2;
        Files.write(wrongLevel.resolve("LOD1.ctx"), lod1);
        Fixtures.upload(alice, "acme", bundle, "1.0.0", wrongLevel).statusCode(400)
                .body("detail", containsString("says level 2"));

        Path disagreeing = Fixtures.release(6);
        Files.writeString(disagreeing.resolve("metadata.json"), Files.readString(disagreeing.resolve("metadata.json"))
                .replace("\"num_tokens\" : 70000", "\"num_tokens\" : 69999"));
        Fixtures.upload(alice, "acme", bundle, "1.0.0", disagreeing).statusCode(400)
                .body("detail", containsString("disagrees"));

        Path good = Fixtures.release(6);
        var request = given().auth().oauth2(alice).contentType("multipart/form-data");
        for (String file : Fixtures.FILES) {
            request.multiPart(file, good.resolve(file).toFile(), "application/octet-stream");
            request.multiPart(Fixtures.checksumField(file), file.equals("LOD0.ctx") ? "0".repeat(64)
                    : Fixtures.sha256(good.resolve(file)));
        }
        request.when().post(releasePath("acme", bundle, "1.0.0")).then().statusCode(400)
                .body("detail", containsString("SHA-256"));

        given().auth().oauth2(alice).when().get(releasePath("acme", bundle, "1.0.0")).then().statusCode(404);
        // Nothing half-imported blocks the version: the good upload now succeeds.
        Fixtures.upload(alice, "acme", bundle, "1.0.0", good).statusCode(201);
    }

    @Test
    void uploadsOverTheSizeLimitAreRefusedBeforeTheyAreStored() throws Exception {
        // The test profile limits a request to 8 MiB; this release is about 16 MiB.
        Path big = Files.createTempDirectory("big");
        new dev.megacuration.format.DemoBundleGenerator(4_000_000, 16, "m", 1).writeTo(big);
        try {
            Fixtures.upload(token("alice"), "acme", bundle, "1.0.0", big).statusCode(413);
        } catch (Exception e) {
            // The server answers 413 and closes the connection; a client still sending sees the close.
            if (!(e instanceof java.net.SocketException)) {
                throw e;
            }
        }
        given().auth().oauth2(token("alice")).when().get(releasePath("acme", bundle, "1.0.0")).then().statusCode(404);
    }

    @Test
    void twoConcurrentUploadsOfOneVersionExactlyOneWins() throws Exception {
        String alice = token("alice");
        Path first = Fixtures.release(7);
        Path second = Fixtures.release(8);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> uploads = List.of(
                    () -> Fixtures.upload(alice, "acme", bundle, "2.0.0", first).extract().statusCode(),
                    () -> Fixtures.upload(alice, "acme", bundle, "2.0.0", second).extract().statusCode());
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(uploads)) {
                statuses.add(status.get());
            }
            statuses.sort(Integer::compare);
            assertEquals(List.of(201, 409), statuses);
        } finally {
            pool.shutdown();
        }
        // The registry and the store agree on the winner.
        String sha = given().auth().oauth2(alice).when().get(releasePath("acme", bundle, "2.0.0"))
                .then().statusCode(200).extract().path("lod0Sha256");
        Path winner = sha.equals(Fixtures.sha256(first.resolve("LOD0.ctx"))) ? first : second;
        byte[] stored = given().auth().oauth2(alice).when().get(releasePath("acme", bundle, "2.0.0") + "/files/LOD0.ctx")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Files.readAllBytes(winner.resolve("LOD0.ctx")), stored);
    }

    @Test
    void spanIndexAndTagsWithHistoryCarryOverToLaterReleases() {
        String alice = token("alice");
        Fixtures.upload(alice, "acme", bundle, "1.0.0", Fixtures.release(9)).statusCode(201);
        String base = "/api/tenants/acme/bundles/" + bundle;
        long lod2Span = SpanId.of(2, 1);
        long child = SpanId.of(1, 32 + 5);

        given().auth().oauth2(alice).queryParam("level", 2).when().get(releasePath("acme", bundle, "1.0.0") + "/spans")
                .then().statusCode(200).body("total", equalTo(68)).body("spans[1].spanId", equalTo(lod2Span))
                .body("spans[1].tokenStart", equalTo(1024)).body("spans[1].tokenEnd", equalTo(2048))
                .body("spans[1].lod0Bytes", equalTo(4096)).body("spans[1].lod1Bytes", equalTo(32 * 32))
                .body("spans[1].lod2Bytes", equalTo(32)).body("spans[1].state", equalTo("present"));

        given().auth().oauth2(alice).queryParam("subtree", true)
                .when().put(base + "/spans/" + lod2Span + "/tags/protected").then().statusCode(200)
                .body("subtree", equalTo(true));
        given().auth().oauth2(alice).when().put(base + "/spans/" + child + "/tags/code").then().statusCode(200);
        given().auth().oauth2(token("dave")).when().delete(base + "/spans/" + child + "/tags/code")
                .then().statusCode(204);
        given().auth().oauth2(alice).when().delete(base + "/spans/" + child + "/tags/code").then().statusCode(404);
        given().auth().oauth2(alice).when().put(base + "/spans/" + SpanId.of(2, 99) + "/tags/code")
                .then().statusCode(404);
        given().auth().oauth2(alice).when().put(base + "/spans/" + lod2Span + "/tags/Not_A_Tag")
                .then().statusCode(400);

        given().auth().oauth2(alice).when().get(base + "/tags/history").then().statusCode(200)
                .body("action", equalTo(List.of("added", "added", "removed")))
                .body("actor", equalTo(List.of("alice", "alice", "dave")))
                .body("tag", equalTo(List.of("protected", "code", "code")));

        // A later release: the subtree tag covers the LOD1 children of the tagged span there too.
        Fixtures.upload(alice, "acme", bundle, "1.1.0", Fixtures.release(10)).statusCode(201);
        given().auth().oauth2(alice).queryParam("level", 1).queryParam("offset", 32).queryParam("limit", 40)
                .when().get(releasePath("acme", bundle, "1.1.0") + "/spans")
                .then().statusCode(200)
                .body("spans[5].spanId", equalTo(child)).body("spans[5].tags", equalTo(List.of("protected")))
                .body("spans[32].tags", equalTo(List.of()));
    }

    @Test
    void anotherTenantsBundleIsNotFoundEverywhere() {
        Fixtures.upload(token("alice"), "acme", bundle, "1.0.0", Fixtures.release(11)).statusCode(201);
        String bob = token("bob");
        String release = releasePath("acme", bundle, "1.0.0");
        given().auth().oauth2(bob).when().get(release).then().statusCode(404);
        given().auth().oauth2(bob).when().get(release + "/spans").then().statusCode(404);
        given().auth().oauth2(bob).when().get(release + "/files/LOD0.ctx").then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/tenants/acme/bundles/" + bundle + "/tags").then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/tenants/acme/bundles/" + bundle + "/tags/history")
                .then().statusCode(404);
        given().auth().oauth2(bob).when().put("/api/tenants/acme/bundles/" + bundle + "/spans/1/tags/code")
                .then().statusCode(404);
        Fixtures.upload(bob, "acme", bundle, "9.0.0", Fixtures.release(12)).statusCode(404);
        given().auth().oauth2(token("alice")).when().get(releasePath("acme", bundle, "9.0.0")).then().statusCode(404);
    }

    @Test
    void consumersDownloadOnlyBundlesTheirDeploymentIsRegisteredWith() {
        Fixtures.upload(token("alice"), "acme", bundle, "1.0.0", Fixtures.release(13)).statusCode(201);
        String file = releasePath("acme", bundle, "1.0.0") + "/files/metadata.json";
        String erin = token("erin");
        given().auth().oauth2(erin).when().get(file).then().statusCode(403);

        String deployment = given().auth().oauth2(erin).contentType("application/json")
                .body(Map.of("name", "erin-box")).when().post("/api/deployments")
                .then().statusCode(201).extract().path("id");
        // Registered with the bundle even while not sharing usage: downloading needs no opt-in.
        given().auth().oauth2(erin).contentType("application/json")
                .body(Map.of("tenant", "acme", "bundle", bundle, "optedIn", false))
                .when().put("/api/deployments/" + deployment + "/consent").then().statusCode(200);
        String metadata = given().auth().oauth2(erin).when().get(file).then().statusCode(200).extract().asString();
        assertTrue(metadata.contains("\"model_name\" : \"test-model\""), metadata);
        given().auth().oauth2(erin).contentType("multipart/form-data").multiPart("x", "y")
                .when().post(releasePath("acme", bundle, "3.0.0")).then().statusCode(403);
        given().auth().oauth2(erin).when().get("/api/tenants/acme/bundles/" + bundle + "/tags")
                .then().statusCode(403).body("status", not(equalTo(200)));
        given().when().get(file).then().statusCode(401);
        given().auth().oauth2(token("alice")).when().get(releasePath("acme", bundle, "1.0.0") + "/files/secret.txt")
                .then().statusCode(404);
        given().auth().oauth2(token("alice")).when().get("/api/bundles").then().statusCode(200)
                .body("name", hasItem(bundle));
    }

    @Test
    void anUploadWhoseClientGoesAwayIsStillRegistered() throws Throwable {
        // A runner killed while its upload is on its way cancels the request's pipeline. The upload runs to
        // its end anyway: cancelled halfway, its transaction rolled back after the files had moved into the
        // store, and the next attempt at the version found them ("already exists").
        Path dir = Fixtures.release(8);
        Path parts = Files.createTempDirectory("parts"); // the multipart layer's temporary files, moved by the upload
        Map<String, Path> files = new java.util.HashMap<>();
        Map<String, String> sums = new java.util.HashMap<>();
        for (String file : Fixtures.FILES) {
            files.put(file, Files.copy(dir.resolve(file), parts.resolve(file)));
            sums.put(file, Fixtures.sha256(dir.resolve(file)));
        }
        VertxContextSupport.subscribeAndAwait(() -> {
            releases.upload(new ReleaseKey("acme", bundle, "2.0.0"), new ReleaseService.Upload(files, sums), "alice")
                    .subscribe().with(view -> { }, failure -> { }).cancel(); // the client is gone at once
            return Uni.createFrom().voidItem();
        });

        String alice = token("alice");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        int status = 0;
        while (System.nanoTime() < deadline && (status = given().auth().oauth2(alice)
                .when().get(releasePath("acme", bundle, "2.0.0")).then().extract().statusCode()) != 200) {
            Thread.sleep(100);
        }
        assertEquals(200, status, "the release is registered although its client went away");
        Fixtures.upload(alice, "acme", bundle, "2.0.0", dir).statusCode(409); // and stays the one registered
    }
}
