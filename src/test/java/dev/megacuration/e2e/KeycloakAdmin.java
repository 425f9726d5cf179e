package dev.megacuration.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Keycloak's admin REST API as the local instance's bootstrap admin (deploy/local/keycloak.sh creates it
 * and writes its password to the instance's env file): what a test needs to end or shorten sessions.
 */
final class KeycloakAdmin {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String server;
    private final String base;
    private final String token;

    KeycloakAdmin(ServiceUrls urls) throws Exception {
        this.server = urls.keycloak();
        this.base = urls.keycloak() + "/admin/realms/" + Api.REALM;
        String form = Api.formBody(Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", require(urls, "MC_KEYCLOAK_ADMIN_USER"), "password", require(urls, "MC_KEYCLOAK_ADMIN_PASSWORD")));
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(urls.keycloak()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin login: HTTP " + reply.statusCode() + " " + reply.body());
        }
        this.token = Api.JSON.readTree(reply.body()).get("access_token").asText();
    }

    /**
     * Sets attributes of a client of the realm (Keycloak merges them into the ones it has; an empty
     * value removes one, so the realm's setting applies again).
     */
    void setClientAttributes(String clientId, Map<String, String> attributes) throws Exception {
        String id = clientUuid(clientId);
        String body = Api.JSON.writeValueAsString(Map.of("attributes", attributes));
        HttpResponse<String> reply = http.send(request("/clients/" + id)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 204) {
            throw new IllegalStateException("updating client " + clientId + ": HTTP " + reply.statusCode());
        }
    }

    /** One numeric setting of the realm, e.g. {@code ssoSessionMaxLifespan} (seconds). */
    int realmSetting(String name) throws Exception {
        HttpResponse<String> reply = http.send(request("").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("reading the realm: HTTP " + reply.statusCode());
        }
        return Api.JSON.readTree(reply.body()).get(name).asInt();
    }

    void setRealmSetting(String name, int value) throws Exception {
        String body = Api.JSON.writeValueAsString(Map.of(name, value));
        HttpResponse<String> reply = http.send(request("").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 204) {
            throw new IllegalStateException("updating the realm's " + name + ": HTTP " + reply.statusCode());
        }
    }

    /** Imports a whole realm (a realm export's JSON) next to the others. */
    void createRealm(String realmJson) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(server + "/admin/realms"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(realmJson)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 201) {
            throw new IllegalStateException("importing a realm: HTTP " + reply.statusCode() + " " + reply.body());
        }
    }

    void deleteRealm(String realm) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(server + "/admin/realms/" + realm))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private String clientUuid(String clientId) throws Exception {
        HttpResponse<String> reply = http.send(request("/clients?clientId=" + clientId).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode clients = Api.JSON.readTree(reply.body());
        if (reply.statusCode() != 200 || clients.size() != 1) {
            throw new IllegalStateException("client " + clientId + ": HTTP " + reply.statusCode() + " " + reply.body());
        }
        return clients.get(0).get("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    }

    private static String require(ServiceUrls urls, String key) {
        String value = urls.env().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is missing from the instance's env file (restart Keycloak with deploy/local)");
        }
        return value;
    }
}
