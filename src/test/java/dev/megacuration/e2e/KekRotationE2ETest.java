package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key-encryption-key rotation as deploy/PRODUCTION.md describes it, on servers of this test's own: the
 * services restarted with the new KEK and the old one as previous, the keys resealed through the portal's
 * admin API, the services restarted with the new KEK alone. Reports are accepted throughout, and no
 * pseudonym changes: five deployments reporting before and after are still five deployments.
 */
@ExtendWith(OwnInstance.class)
class KekRotationE2ETest {
    private static final long SPAN = SpanId.of(1, 3);
    /** The KEK the instance's services start with: the local default of every service's config. */
    private static final String OLD = "local-dev-key-encryption-key-change-me";
    private static final String NEW = "the-kek-after-the-rotation";

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void keysAreResealedAndNoPseudonymChanges(Api api, LocalInstance servers, @TempDir Path dir) throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "kek-rotation", 5);
        reportFromEach(bundle);
        assertEquals(5, bundle.awaitExpands(SPAN, 5));

        // Step 1: new KEK current, old one previous. Existing keys open; reports go on.
        restartServices(servers, Map.of("MC_PRIVACY_KEK", NEW, "MC_PRIVACY_PREVIOUS_KEKS", OLD));
        String admin = api.token("admin", "admin");
        assertEquals(403, reseal(api, api.token("alice", "alice")).statusCode(), "authors may not reseal");
        assertEquals(401, reseal(api, null).statusCode());

        // Step 2: reseal, as an admin: acme's key moves; a second call finds nothing left to do.
        HttpResponse<String> first = reseal(api, admin);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode done = Api.JSON.readTree(first.body());
        assertTrue(done.get("resealed").asInt() >= 1, first.body());
        HttpResponse<String> again = reseal(api, admin);
        assertEquals(0, Api.JSON.readTree(again.body()).get("resealed").asInt(), again.body());

        // Step 3: the new KEK alone. Every key still opens, and every deployment keeps its pseudonym.
        restartServices(servers, Map.of("MC_PRIVACY_KEK", NEW));
        reportFromEach(bundle);
        assertEquals(10, bundle.awaitExpands(SPAN, 10), "every report counted");
        JsonNode span = spanOf(api.topExpanded(api.token("alice", "alice"), "acme", bundle.bundle).body());
        assertEquals(5, span.get("deployments").asInt(), "the same five pseudonyms, not ten: " + span);
    }

    private static void reportFromEach(ConsentingBundle bundle) {
        for (String key : bundle.ingestKeys) {
            bundle.api.report(key, bundle.report(SPAN).build()).requireStatus(202);
        }
    }

    private static void restartServices(LocalInstance servers, Map<String, String> env) throws Exception {
        servers.script("services.sh", "stop");
        servers.script(env, "services.sh", "start");
    }

    private static HttpResponse<String> reseal(Api api, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(api.urls().portal() + "/api/admin/pseudonym-keys:reseal")).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode spanOf(JsonNode top) {
        for (JsonNode entry : top.get("spans")) {
            if (entry.get("spanId").asLong() == SPAN) {
                return entry;
            }
        }
        throw new AssertionError("span " + SPAN + " is not published: " + top);
    }
}
