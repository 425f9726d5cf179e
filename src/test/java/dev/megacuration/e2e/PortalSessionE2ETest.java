package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.deploy.Api;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The portal's session from the outside, through Keycloak's real login page: signing out ends it here
 * and at Keycloak, a session is renewed silently while Keycloak keeps it, and once Keycloak has ended it
 * the browser is told so and must log in again.
 */
@ExtendWith(LocalServices.class)
class PortalSessionE2ETest {
    private static final String PORTAL_CLIENT = "author-portal";
    private static final String SESSION_MAX = "ssoSessionMaxLifespan";

    @Test
    void signingOutEndsTheSessionHereAndAtKeycloak(Api api) throws Exception {
        String portal = api.urls().portal();
        BrowserSession browser = new BrowserSession();
        HttpResponse<String> bundles = browser.loginAndOpen(portal + "/bundles", "alice", "alice");
        assertEquals(200, bundles.statusCode());
        assertTrue(bundles.body().contains("Sign out"), "signed in");

        HttpResponse<String> afterLogout = browser.open(portal + "/logout");
        assertEquals(portal + "/", afterLogout.uri().toString().replaceAll("\\?.*$", ""), "back on the start page");
        assertFalse(afterLogout.body().contains("Sign out"), "the start page shows nobody signed in");
        // Keycloak's session ended too: the next protected page asks for the password again.
        assertTrue(browser.open(portal + "/bundles").body().contains("kc-form-login"), "login asked again");
    }

    @Test
    void aSessionIsRenewedWhileKeycloakKeepsItAndEndsClearlyWhenKeycloakEndsIt(Api api) throws Exception {
        KeycloakAdmin admin = new KeycloakAdmin(api.urls());
        int sessionMax = admin.realmSetting(SESSION_MAX);
        // For this test only: the portal's tokens live 4 s and Keycloak's sessions at most 15 s (the
        // realm-wide maximum: a client-level one would end only the portal's share, and Keycloak would
        // then log the browser in again silently).
        admin.setClientAttributes(PORTAL_CLIENT, Map.of("access.token.lifespan", "4"));
        admin.setRealmSetting(SESSION_MAX, 15);
        try {
            String portal = api.urls().portal();
            BrowserSession browser = new BrowserSession();
            long start = System.nanoTime();
            assertEquals(200, browser.loginAndOpen(portal + "/bundles", "alice", "alice").statusCode());

            sleepUntil(start, 8);
            HttpResponse<String> renewed = browser.open(portal + "/bundles");
            assertEquals(portal + "/bundles", renewed.uri().toString(), "the expired ID token was refreshed, no login");
            assertEquals(200, renewed.statusCode());
            assertTrue(renewed.body().contains("Sign out"));

            sleepUntil(start, 20);
            HttpResponse<String> ended = browser.open(portal + "/bundles");
            assertEquals(portal + "/session-expired", ended.uri().toString().replaceAll("\\?.*$", ""),
                    "Keycloak refused the refresh: the portal says the session ended");
            assertTrue(ended.body().contains("Your session has ended"));
            assertTrue(browser.open(portal + "/bundles").body().contains("kc-form-login"),
                    "the portal's cookie and Keycloak's session are gone: the password is asked again");
        } finally {
            admin.setRealmSetting(SESSION_MAX, sessionMax);
            admin.setClientAttributes(PORTAL_CLIENT, Map.of("access.token.lifespan", ""));
        }
    }

    private static void sleepUntil(long start, int seconds) throws InterruptedException {
        long left = start + seconds * 1_000_000_000L - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000L + 1);
        }
    }
}
