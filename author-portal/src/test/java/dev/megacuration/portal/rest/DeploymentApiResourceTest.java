package dev.megacuration.portal.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Consumers' deployments and consent, on the real PostgreSQL, with real Keycloak tokens. */
@QuarkusTest
class DeploymentApiResourceTest {
    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realm;

    @Test
    void consumerRegistersAndOptsInTheirOwnDeploymentOnly() {
        String carol = token("carol");
        String id = given().auth().oauth2(carol).contentType("application/json").body(Map.of("name", "laptop"))
                .when().post("/api/deployments")
                .then().statusCode(201).body("ingestKey", startsWith("mcd_")).extract().path("id");

        given().auth().oauth2(carol).when().get("/api/deployments")
                .then().statusCode(200).body("id", hasItem(id)).body("ingestKey", not(hasItem(startsWith("mcd_"))));

        given().auth().oauth2(carol).contentType("application/json")
                .body(Map.of("tenant", "acme", "bundle", "support-handbook", "optedIn", true))
                .when().put("/api/deployments/" + id + "/consent")
                .then().statusCode(200).body("optedIn", equalTo(true)).body("contractVersion", not(nullValue()));

        String erin = token("erin");
        given().auth().oauth2(erin).contentType("application/json")
                .body(Map.of("tenant", "acme", "bundle", "support-handbook", "optedIn", true))
                .when().put("/api/deployments/" + id + "/consent")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(erin).when().get("/api/deployments")
                .then().statusCode(200).body("id", not(hasItem(id)));
    }

    @Test
    void authorsCannotActAsConsumersAndBadInputIsAProblem() {
        given().auth().oauth2(token("alice")).contentType("application/json").body(Map.of("name", "x"))
                .when().post("/api/deployments").then().statusCode(403);
        given().auth().oauth2(token("carol")).contentType("application/json").body(Map.of("name", ""))
                .when().post("/api/deployments")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token("carol")).contentType("application/json")
                .body(Map.of("tenant", "Acme Inc", "bundle", "b", "optedIn", true))
                .when().put("/api/deployments/00000000-0000-0000-0000-000000000000/consent")
                .then().statusCode(400);
    }

    private String token(String user) {
        return given().baseUri(realm).formParams(Map.of("grant_type", "password", "client_id", "megacuration-cli",
                        "username", user, "password", user))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }
}
