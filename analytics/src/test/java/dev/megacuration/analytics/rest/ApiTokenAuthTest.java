package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.megacuration.privacy.apitoken.ApiTokens;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.tier.Tier;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tenants' API tokens on the analytics API: their own tenant only, while licensed and not revoked. */
@QuarkusTest
class ApiTokenAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    ApiTokens tokens;

    @Inject
    TenantPlans plans;

    private final String tenant = "tokens-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anApiTokenReadsItsTenantOnlyAndStopsWhenRevokedOrUnlicensed() {
        plans.change(new TenantPlan(tenant, Tier.PRO, null), "test").await().atMost(WAIT);
        ApiTokens.Created created = tokens.create(tenant, "nightly export", "test").await().atMost(WAIT);
        String secret = created.secret();

        given().auth().oauth2(secret).when().get(path(tenant)).then().statusCode(200).body("tenant", equalTo(tenant));
        given().auth().oauth2(secret).when().get(path("acme")).then().statusCode(403);
        given().auth().oauth2(ApiTokens.PREFIX + "not-a-token").when().get(path(tenant)).then().statusCode(401);

        plans.change(new TenantPlan(tenant, Tier.FREE, null), "test").await().atMost(WAIT);
        given().auth().oauth2(secret).when().get(path(tenant)).then().statusCode(401);
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(WAIT);
        given().auth().oauth2(secret).when().get(path(tenant)).then().statusCode(200);

        tokens.revoke(tenant, created.token().id()).await().atMost(WAIT);
        given().auth().oauth2(secret).when().get(path(tenant)).then().statusCode(401);
    }

    private static String path(String tenant) {
        return "/v1/tenants/" + tenant + "/bundles/any/top-expanded";
    }
}
