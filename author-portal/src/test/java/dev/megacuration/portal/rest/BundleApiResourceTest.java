package dev.megacuration.portal.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The registry API on the real PostgreSQL, with real Keycloak tokens of two tenants. */
@QuarkusTest
class BundleApiResourceTest {
    private static final String SHA = "a".repeat(64);

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realm;

    private final String bundle = "portal-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aReleaseIsRegisteredOnceAndOnlyItsTenantSeesIt() {
        String alice = token("alice");
        given().auth().oauth2(alice).contentType("application/json").body(release("1.0.0", SHA))
                .when().post("/api/bundles/" + bundle + "/releases")
                .then().statusCode(201).body("version", equalTo("1.0.0")).body("provenance", equalTo("imported"));
        given().auth().oauth2(alice).contentType("application/json").body(release("1.0.0", SHA))
                .when().post("/api/bundles/" + bundle + "/releases")
                .then().statusCode(409).contentType("application/problem+json");

        // dave is another author of acme: same tenant, same bundle.
        given().auth().oauth2(token("dave")).when().get("/api/bundles/" + bundle)
                .then().statusCode(200).body("tenant", equalTo("acme")).body("releases.version", hasItem("1.0.0"));

        String bob = token("bob");
        given().auth().oauth2(bob).when().get("/api/bundles/" + bundle).then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/bundles")
                .then().statusCode(200).body("name", not(hasItem(bundle)));
        // globex may publish its own bundle of the same name: names are per tenant.
        given().auth().oauth2(bob).contentType("application/json").body(release("1.0.0", SHA))
                .when().post("/api/bundles/" + bundle + "/releases").then().statusCode(201);
    }

    @Test
    void invalidReleasesAndWrongRolesAreRefused() {
        given().auth().oauth2(token("alice")).contentType("application/json").body(release("1.0.0", "not-a-sha"))
                .when().post("/api/bundles/" + bundle + "/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("register.request.lod0Sha256"));
        given().auth().oauth2(token("alice")).contentType("application/json").body("{\"version\":")
                .when().post("/api/bundles/" + bundle + "/releases")
                .then().statusCode(400);
        given().auth().oauth2(token("carol")).contentType("application/json").body(release("1.0.0", SHA))
                .when().post("/api/bundles/" + bundle + "/releases").then().statusCode(403);
        given().contentType("application/json").body(release("1.0.0", SHA))
                .when().post("/api/bundles/" + bundle + "/releases").then().statusCode(401);
    }

    @Test
    void pagesStartTheCodeFlowInsteadOfTakingBearerTokens() {
        given().redirects().follow(false).when().get("/bundles")
                .then().statusCode(302).header("Location", org.hamcrest.Matchers.startsWith(realm));
    }

    private Map<String, Object> release(String version, String sha) {
        return Map.of("version", version, "modelName", "m", "embeddingDim", 16, "numTokens", 70_000,
                "lod0Sha256", sha, "lod1Sha256", SHA, "lod2Sha256", SHA);
    }

    String token(String user) {
        return given().baseUri(realm).formParams(Map.of("grant_type", "password", "client_id", "megacuration-cli",
                        "username", user, "password", user))
                .when().post("/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }
}
