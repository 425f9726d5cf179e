package dev.megacuration.portal.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The own-tenant bundle API on the real PostgreSQL, with real Keycloak tokens of two tenants. */
@QuarkusTest
class BundleApiResourceTest {
    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String realm;

    private final String bundle = "portal-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void onlyTheOwnTenantSeesItsBundles() {
        Path dir = Fixtures.release(1);
        Fixtures.upload(Fixtures.token("alice"), "acme", bundle, "1.0.0", dir).statusCode(201);

        // dave is another author of acme: same tenant, same bundle.
        given().auth().oauth2(Fixtures.token("dave")).when().get("/api/bundles/" + bundle)
                .then().statusCode(200).body("tenant", equalTo("acme")).body("releases.version", hasItem("1.0.0"));

        String bob = Fixtures.token("bob");
        given().auth().oauth2(bob).when().get("/api/bundles/" + bundle).then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/bundles")
                .then().statusCode(200).body("name", not(hasItem(bundle)));
        // globex may publish its own bundle of the same name: names are per tenant.
        Fixtures.upload(bob, "globex", bundle, "1.0.0", dir).statusCode(201);
        given().auth().oauth2(Fixtures.token("carol")).when().get("/api/bundles").then().statusCode(403);
        given().when().get("/api/bundles").then().statusCode(401);
    }

    @Test
    void pagesStartTheCodeFlowInsteadOfTakingBearerTokens() {
        given().redirects().follow(false).when().get("/bundles")
                .then().statusCode(302).header("Location", org.hamcrest.Matchers.startsWith(realm));
    }
}
