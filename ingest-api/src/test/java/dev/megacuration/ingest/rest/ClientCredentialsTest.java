package dev.megacuration.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A deployment that authenticates with an OAuth2 client-credentials token from the real Keycloak instead
 * of its ingest key: the realm's demo client {@code deployment-6d0c1e5e-…-000000000001} acts for that
 * deployment; other clients' tokens and forged tokens are 401.
 */
@QuarkusTest
class ClientCredentialsTest extends IngestTestBase {
    private static final UUID DEPLOYMENT = UUID.fromString("6d0c1e5e-0000-4000-8000-000000000001");

    @Inject
    Pool postgres;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realm;

    @Test
    void aDeploymentsOwnClientSendsAsThatDeploymentAndNoOtherClientDoes() throws Throwable {
        // The demo client's deployment, as its owner would have registered it (fixed id, like the client).
        postgres.preparedQuery("INSERT INTO privacy.deployment (id, owner_subject, name, ingest_key_hash) VALUES "
                        + "($1, 'test-consumer', 'oauth demo', $2) ON CONFLICT (id) DO UPDATE SET erased_at = NULL")
                .execute(Tuple.of(DEPLOYMENT, "unused-" + DEPLOYMENT)).await().atMost(Duration.ofSeconds(10));
        VertxContextSupport.subscribeAndAwait(() -> consent.setConsent("test-consumer", DEPLOYMENT, "acme", bundle, true));

        String token = token("deployment-" + DEPLOYMENT, "demo-deployment-secret");
        UUID id = UUID.randomUUID();
        given().header("Authorization", "Bearer " + token).contentType("application/json").body(report(id))
                .when().post("/v1/reports").then().statusCode(202).body("outcome", equalTo("accepted"));
        List<JsonNode> published = publishedFor(bundle, 1, Duration.ofSeconds(5));
        assertEquals(1, published.size());
        assertEquals(id.toString(), published.get(0).get("reportId").asText());
        assertFalse(published.get(0).toString().contains(DEPLOYMENT.toString()), "only the pseudonym leaves");
        given().header("Authorization", "Bearer " + token).when().get("/v1/warnings").then().statusCode(200);

        // The platform's own service account is a client of the realm too, but names no deployment.
        String service = token("megacuration-service", "service-secret");
        given().header("Authorization", "Bearer " + service).contentType("application/json")
                .body(report(UUID.randomUUID())).when().post("/v1/reports").then().statusCode(401)
                .contentType("application/problem+json");
        // A forged token (the demo client's, one character changed in its signature) is refused. The character
        // is inside the signature, not among its last ones: the last base64url character carries padding bits
        // a decoder ignores, and changing only those (a clean-clone CI run on 2026-12-07) forged nothing.
        int inSignature = token.lastIndexOf('.') + 10;
        String forged = token.substring(0, inSignature) + (token.charAt(inSignature) == 'A' ? 'B' : 'A')
                + token.substring(inSignature + 1);
        given().header("Authorization", "Bearer " + forged).contentType("application/json")
                .body(report(UUID.randomUUID())).when().post("/v1/reports").then().statusCode(401);
        assertEquals(0, publishedFor(bundle, 1, Duration.ofSeconds(2)).size());
    }

    private String token(String clientId, String secret) {
        return given().baseUri(realm).formParams(Map.of("grant_type", "client_credentials", "client_id", clientId,
                        "client_secret", secret))
                .when().post("/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }
}
