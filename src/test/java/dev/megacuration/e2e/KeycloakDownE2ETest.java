package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keycloak down, with the services left running, on servers of this test's own: issued tokens and portal
 * sessions keep working on cached keys, ingest keys do not need Keycloak (and the edge reads the registry
 * with the service token it already holds), a new login fails at Keycloak (not with an error page of ours),
 * and everything works again once it is back.
 */
@ExtendWith(OwnInstance.class)
class KeycloakDownE2ETest {
    private static final long SPAN = SpanId.of(1, 4);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void issuedTokensAndSessionsKeepWorkingAndNewLoginsFailAtKeycloak(Api api, LocalInstance servers,
            @TempDir Path dir) throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "keycloak-fault", 1);
        ConsentingBundle unseen = ConsentingBundle.create(api, dir.resolve("unseen"), "keycloak-unseen", 1);
        // The edge's first report fetches its service token (Keycloak) and the release (registry).
        assertEquals(202, api.report(bundle.ingestKeys.get(0), bundle.report(SPAN).build()).status());
        String alice = api.token("alice", "alice");
        String topUrl = api.urls().analytics() + "/v1/tenants/acme/bundles/" + bundle.bundle + "/top-expanded";
        BrowserSession browser = new BrowserSession();
        assertEquals(200, browser.loginAndOpen(api.urls().portal() + "/bundles", "alice", "alice").statusCode());

        servers.script("keycloak.sh", "stop");
        try {
            assertEquals(200, api.get(topUrl, alice).status(), "an issued token is checked against cached keys");
            assertEquals(202, api.report(bundle.ingestKeys.get(0), bundle.report(SPAN).build()).status(),
                    "ingest keys do not need Keycloak");
            Api.Reply unknownRelease = api.report(unseen.ingestKeys.get(0), unseen.report(SPAN).build());
            assertEquals(202, unknownRelease.status(), "a release not cached yet: the registry is read with the "
                    + "service token the edge holds: " + unknownRelease.raw());
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
            servers.script(Map.of("MC_KEYCLOAK_KEEP_DATA", "1"), "keycloak.sh", "start");
        }
        String again = api.token("alice", "alice");
        assertNotEquals(alice, again);
        assertEquals(200, api.get(topUrl, again).status(), "tokens issued after the outage work");
        assertEquals(200, browser.open(api.urls().portal() + "/bundles").statusCode(), "the session survived the outage");
        assertTrue(new BrowserSession().loginAndOpen(api.urls().portal() + "/bundles", "alice", "alice").body()
                .contains("Sign out"), "a new login completes");
    }
}
