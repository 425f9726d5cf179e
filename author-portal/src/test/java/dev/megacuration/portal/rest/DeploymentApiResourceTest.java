package dev.megacuration.portal.rest;

import static dev.megacuration.portal.rest.Fixtures.serviceToken;
import static dev.megacuration.portal.rest.Fixtures.token;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Consumers' deployments and consent, on the real PostgreSQL, with real Keycloak tokens. */
@QuarkusTest
class DeploymentApiResourceTest {
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

    @Test
    void erasureIsFiledOnceByTheOwnerAndEndsTheDeploymentsSharing() {
        String carol = token("carol");
        String id = register(carol, "to-erase");
        consent(carol, id, "acme", "support-handbook", true).then().statusCode(200);

        given().auth().oauth2(carol).queryParam("tenant", "acme").queryParam("bundle", "support-handbook")
                .when().get("/api/deployments/" + id + "/sample")
                .then().statusCode(200).body("deployment", matchesPattern("[0-9a-f]{32}"))
                .body("neverSent", hasItem("deployment id")).body(not(containsString(id)))
                .body("windowStart", endsWith(":00:00Z"));

        given().auth().oauth2(token("erin")).when().post("/api/deployments/" + id + "/erasure")
                .then().statusCode(404).contentType("application/problem+json");
        String requestedAt = given().auth().oauth2(carol).when().post("/api/deployments/" + id + "/erasure")
                .then().statusCode(202).header("Location", endsWith("/api/deployments/" + id + "/erasure"))
                .body("status", equalTo("requested")).extract().path("requestedAt");
        given().auth().oauth2(carol).when().post("/api/deployments/" + id + "/erasure")
                .then().statusCode(202).body("requestedAt", equalTo(requestedAt));
        given().auth().oauth2(carol).when().get("/api/deployments/" + id + "/erasure")
                .then().statusCode(200).body("deploymentId", equalTo(id));
        given().auth().oauth2(carol).when().get("/api/deployments")
                .then().statusCode(200).body("find { it.id == '" + id + "' }.erasedAt", not(nullValue()));

        consent(carol, id, "acme", "support-handbook", true).then().statusCode(404);
        given().auth().oauth2(carol).queryParam("tenant", "acme").queryParam("bundle", "support-handbook")
                .when().get("/api/deployments/" + id + "/sample").then().statusCode(404);
    }

    @Test
    void authorsSeeConsentCountsUnderTheThresholdAndNeverWho() {
        String carol = token("carol");
        String popular = "consent-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String rare = popular + "-rare";
        for (int d = 0; d < 6; d++) {
            String id = register(carol, "counted-" + d);
            consent(carol, id, "acme", popular, true).then().statusCode(200);
            if (d == 5) {
                consent(carol, id, "acme", popular, false).then().statusCode(200); // the newest row decides
            }
            if (d < 2) {
                consent(carol, id, "acme", rare, true).then().statusCode(200);
            }
        }
        given().auth().oauth2(token("alice")).when().get("/api/tenants/acme/consent").then().statusCode(200)
                .body("find { it.bundle == '" + popular + "' }.status", equalTo("published"))
                .body("find { it.bundle == '" + popular + "' }.optedIn", equalTo(5))
                .body("find { it.bundle == '" + rare + "' }.status", equalTo("below_threshold"))
                .body("find { it.bundle == '" + rare + "' }.optedIn", nullValue())
                .body(not(containsString("deploymentId")));
        given().auth().oauth2(token("bob")).when().get("/api/tenants/acme/consent").then().statusCode(404);
        given().auth().oauth2(carol).when().get("/api/tenants/acme/consent").then().statusCode(403);
    }

    @Test
    void theContractSaysWhatIsSharedWithWhomForHowLong() {
        String version = given().auth().oauth2(token("carol")).when().get("/api/contracts/current")
                .then().statusCode(200).body("revenueShare", equalTo(false))
                .body("neverShared", hasItem("IP address")).extract().path("version");
        String id = register(token("carol"), "contract");
        consent(token("carol"), id, "acme", "*", true).then().statusCode(200)
                .body("contractVersion", equalTo(version)).body("bundle", equalTo("*"));
        given().auth().oauth2(token("carol")).when().get("/api/contracts/1999-01").then().statusCode(404);
        given().when().get("/api/contracts/current").then().statusCode(401);
    }

    @Test
    void onlyAdminsSetPlans() {
        String tenant = "plan-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String admin = serviceToken();
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("tier", "pro", "minDeployments", 8))
                .when().put("/api/admin/tenants/" + tenant + "/plan")
                .then().statusCode(200).body("tier", equalTo("pro")).body("effectiveMinDeployments", equalTo(8))
                .body("windowDays", equalTo(365));
        given().auth().oauth2(admin).when().get("/api/admin/tenants/" + tenant + "/plan")
                .then().statusCode(200).body("tier", equalTo("pro"));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("tier", "platinum"))
                .when().put("/api/admin/tenants/" + tenant + "/plan")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("tier", "free", "minDeployments", 2))
                .when().put("/api/admin/tenants/" + tenant + "/plan").then().statusCode(400);
        given().auth().oauth2(token("alice")).contentType("application/json").body(Map.of("tier", "enterprise"))
                .when().put("/api/admin/tenants/acme/plan").then().statusCode(403);
    }

    private String register(String consumer, String name) {
        return given().auth().oauth2(consumer).contentType("application/json").body(Map.of("name", name))
                .when().post("/api/deployments").then().statusCode(201).extract().path("id");
    }

    private io.restassured.response.Response consent(String consumer, String id, String tenant, String bundle,
                                                      boolean optedIn) {
        return given().auth().oauth2(consumer).contentType("application/json")
                .body(Map.of("tenant", tenant, "bundle", bundle, "optedIn", optedIn))
                .when().put("/api/deployments/" + id + "/consent");
    }

}
