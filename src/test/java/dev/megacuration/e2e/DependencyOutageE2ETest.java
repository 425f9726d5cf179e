package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.UsageReport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted and Keycloak down, with the services left running: the edge answers 503 (never a 202
 * on a consent it could not read, never a 500) and recovers by itself; no consent decision made after the
 * restart is skipped; while Keycloak is away, issued tokens and portal sessions keep working on cached
 * keys, a new login fails at Keycloak (not with an error page of ours), and everything works again once
 * it is back.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyOutageE2ETest {
    private static final long SPAN = SpanId.of(1, 4);
    private final String bundle = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    private Api api;
    private String deploymentId;
    private String ingestKey;

    @BeforeAll
    void setUp(Api api, @TempDir Path dir) throws Exception {
        this.api = api;
        new DemoBundleGenerator(10_000, 16, "outage-model", 4).writeTo(dir);
        api.uploadRelease(api.token("alice", "alice"), "acme", bundle, "1.0.0", dir).requireStatus(201);
        String carol = api.token("carol", "carol");
        JsonNode deployment = api.registerDeployment(carol, "outage").requireStatus(201).body();
        deploymentId = deployment.get("id").asText();
        ingestKey = deployment.get("ingestKey").asText();
        api.setConsent(carol, deploymentId, "acme", bundle, true).requireStatus(200);
        assertEquals(202, send().status());
    }

    @Test
    @Order(1)
    void postgresRestartedIngestAnswers503MeanwhileAndRecoversWithoutARestart() throws Exception {
        LocalServices.script("postgres.sh", "stop");
        Map<Integer, Integer> during = new HashMap<>();
        try {
            // Past the 2 s credential and consent caches, every report needs PostgreSQL.
            Thread.sleep(2_500);
            for (int i = 0; i < 5; i++) {
                Api.Reply reply = send();
                during.merge(reply.status(), 1, Integer::sum);
                if (reply.status() == 503) {
                    assertEquals("application/problem+json", reply.contentType().split(";")[0]);
                }
            }
        } finally {
            LocalServices.script("postgres.sh", "start");
        }
        assertEquals(Map.of(503, 5), during, "while PostgreSQL is down: 503s only");

        // The pools reconnect by themselves: the same running edge accepts reports again.
        assertEquals(202, within(30, 202), "ingest recovered without a restart");
        // A decision made after the restart is not skipped: opting out stops reports within 5 s.
        api.setConsent(api.token("carol", "carol"), deploymentId, "acme", bundle, false).requireStatus(200);
        assertEquals(403, within(5, 403), "the opt-out made after the restart applies");
        api.setConsent(api.token("carol", "carol"), deploymentId, "acme", bundle, true).requireStatus(200);
        assertEquals(202, within(5, 202));
    }

    @Test
    @Order(2)
    void keycloakDownIssuedTokensAndSessionsKeepWorkingAndNewLoginsFailAtKeycloak() throws Exception {
        String alice = api.token("alice", "alice");
        String topUrl = api.urls().analytics() + "/v1/tenants/acme/bundles/" + bundle + "/top-expanded";
        BrowserSession browser = new BrowserSession();
        assertEquals(200, browser.loginAndOpen(api.urls().portal() + "/bundles", "alice", "alice").statusCode());

        LocalServices.script("keycloak.sh", "stop");
        try {
            assertEquals(200, api.get(topUrl, alice).status(), "an issued token is checked against cached keys");
            assertEquals(202, send().status(), "ingest keys do not need Keycloak");
            HttpResponse<String> page = browser.open(api.urls().portal() + "/bundles");
            assertEquals(200, page.statusCode(), "a signed-in session lives on until its ID token expires");
            try {
                HttpResponse<String> fresh = new BrowserSession().open(api.urls().portal() + "/bundles");
                fail("a new login cannot complete without Keycloak, got HTTP " + fresh.statusCode() + " at " + fresh.uri());
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException expected) {
                // The portal sent the browser to Keycloak's login page, which does not answer.
            }
            assertEquals(401, api.get(topUrl, "forged." + alice.substring(alice.indexOf('.') + 1)).status(),
                    "a token the cached keys cannot verify is refused");
        } finally {
            // Restarted on its database, as a production Keycloak is: same users, keys and sessions.
            LocalServices.script(Map.of("MC_KEYCLOAK_KEEP_DATA", "1"), "keycloak.sh", "start");
        }
        String again = api.token("alice", "alice");
        assertNotEquals(alice, again);
        assertEquals(200, api.get(topUrl, again).status(), "tokens issued after the outage work");
        assertEquals(200, browser.open(api.urls().portal() + "/bundles").statusCode(), "the session survived the outage");
        assertTrue(new BrowserSession().loginAndOpen(api.urls().portal() + "/bundles", "alice", "alice").body()
                .contains("Sign out"), "a new login completes");
    }

    private Api.Reply send() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        UsageReport report = UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0", start);
        report.expand(SPAN, 2);
        return api.report(ingestKey, report.build());
    }

    /** The first report answered with {@code expected} within the time, or the last status seen. */
    private int within(int seconds, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int status;
        do {
            status = send().status();
            if (status == expected) {
                return status;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return status;
    }
}
