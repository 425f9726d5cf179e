package dev.megacuration.portal.rest;

import static dev.megacuration.portal.rest.Fixtures.serviceToken;
import static dev.megacuration.portal.rest.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API tokens are a pro feature, managed by the tenant's authors (or admins), shown once. */
@QuarkusTest
class ApiTokenResourceTest {
    @Test
    void onlyPaidTiersGetTokensAndTheSecretIsShownOnce() {
        String tenant = "tokens-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = serviceToken();
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", "ci"))
                .when().post("/api/tenants/" + tenant + "/api-tokens")
                .then().statusCode(403).contentType("application/problem+json").body("requiredTier", equalTo("pro"));

        given().auth().oauth2(admin).contentType("application/json").body(Map.of("tier", "pro"))
                .when().put("/api/admin/tenants/" + tenant + "/plan").then().statusCode(200);
        String id = given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", "ci"))
                .when().post("/api/tenants/" + tenant + "/api-tokens")
                .then().statusCode(201).body("secret", startsWith("mct_")).body("token.name", equalTo("ci"))
                .extract().path("token.id");
        given().auth().oauth2(admin).when().get("/api/tenants/" + tenant + "/api-tokens")
                .then().statusCode(200).body("id", hasItem(id)).body("secret", not(hasItem(startsWith("mct_"))));

        given().auth().oauth2(token("alice")).when().get("/api/tenants/" + tenant + "/api-tokens").then().statusCode(404);
        given().auth().oauth2(token("carol")).when().get("/api/tenants/" + tenant + "/api-tokens").then().statusCode(403);
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", ""))
                .when().post("/api/tenants/" + tenant + "/api-tokens").then().statusCode(400);

        given().auth().oauth2(admin).when().delete("/api/tenants/" + tenant + "/api-tokens/" + id).then().statusCode(204);
        given().auth().oauth2(admin).when().delete("/api/tenants/" + tenant + "/api-tokens/" + id).then().statusCode(404);
    }

}
