package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production realm export (deploy/keycloak/megacuration-realm-production.json) imported into the real
 * Keycloak under another name, with its ${...} placeholders filled as Keycloak fills them from the
 * environment at import: it loads, holds no people, refuses passwords from scripts, lets the CLI use the
 * device flow, and gives the platform's service account its admin role.
 */
@ExtendWith(LocalServices.class)
class ProductionRealmE2ETest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theProductionRealmImportsAndHoldsItsRules(Api api) throws Exception {
        String realm = "prod-check-" + UUID.randomUUID().toString().substring(0, 8);
        String serviceSecret = UUID.randomUUID().toString();
        String json = Files.readString(LocalServices.repoRoot().resolve("deploy/keycloak/megacuration-realm-production.json"))
                .replace("${MC_PORTAL_CLIENT_SECRET}", UUID.randomUUID().toString())
                .replace("${MC_SERVICE_CLIENT_SECRET}", serviceSecret);
        JsonNode parsed = Api.JSON.readTree(json);
        assertFalse(json.contains("${MC_"), "every placeholder is one the deployment provides");
        assertEquals("external", parsed.get("sslRequired").asText());
        assertTrue(parsed.get("bruteForceProtected").asBoolean());
        parsed.get("users").forEach(user -> assertTrue(user.get("username").asText().startsWith("service-account-"),
                "no person in the realm file: " + user.get("username")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) parsed).put("realm", realm);

        KeycloakAdmin admin = new KeycloakAdmin(api.urls());
        admin.createRealm(Api.JSON.writeValueAsString(parsed));
        try {
            String tokenUrl = api.urls().keycloak() + "/realms/" + realm + "/protocol/openid-connect/token";
            HttpResponse<String> password = post(tokenUrl, Map.of("grant_type", "password", "client_id", Api.CLI_CLIENT,
                    "username", "anyone", "password", "anything"));
            assertEquals(400, password.statusCode(), "no password grant for scripts");
            assertEquals("unauthorized_client", Api.JSON.readTree(password.body()).get("error").asText());

            HttpResponse<String> device = post(api.urls().keycloak() + "/realms/" + realm
                    + "/protocol/openid-connect/auth/device", Map.of("client_id", Api.CLI_CLIENT));
            assertEquals(200, device.statusCode(), device.body());
            assertTrue(Api.JSON.readTree(device.body()).has("user_code"), "the CLI logs people in with the device flow");

            HttpResponse<String> service = post(tokenUrl, Map.of("grant_type", "client_credentials",
                    "client_id", "megacuration-service", "client_secret", serviceSecret));
            assertEquals(200, service.statusCode(), service.body());
            String accessToken = Api.JSON.readTree(service.body()).get("access_token").asText();
            JsonNode claims = Api.JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
            assertTrue(claims.get("realm_access").get("roles").toString().contains("\"admin\""),
                    "the platform's service account is an admin: " + claims.get("realm_access"));
            assertEquals(300, claims.get("exp").asLong() - claims.get("iat").asLong(), "five-minute access tokens");
        } finally {
            admin.deleteRealm(realm);
        }
    }

    private HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Api.formBody(form))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
