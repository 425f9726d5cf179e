package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.Tokens;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.analytics.support.UsageTopic.Stale;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.tier.Tier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each tier's limits on every endpoint, with real tokens, against data in the real ClickHouse. The plan
 * lives in PostgreSQL; each test sets it through the privacy library, as the portal's admin API does.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TierRulesResourceTest {
    private static final long SPAN = (1L << 56) | 7;
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Instant HOUR = TODAY.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            .plus(Duration.ofHours(10));

    @Inject
    TenantPlans plans;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "tiers-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bundle = "handbook";
    private String service;

    @BeforeAll
    void sixDeploymentsUsedOneSpan() throws Exception {
        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < 6; d++) {
                topic.report(tenant, bundle, "1.0.0", "deployment-" + d, HOUR, List.of(new Expand(SPAN, 3)),
                        List.of(new Stale(SPAN, "outdated")));
            }
        }
        Stored.await(clickhouse, tenant, bundle, 12);
        service = Tokens.service();
    }

    @Test
    void free() {
        plan(Tier.FREE, null);
        api().get(path("top-expanded")).then().statusCode(200).body("tier", equalTo("free"))
                .body("tierMaxSpans", equalTo(20)).body("spans", hasSize(1)).body("spans[0].expands", equalTo(18))
                .body("from", equalTo(TODAY.minusDays(29).toString()));
        requires("pro", api().queryParam("format", "csv").get(path("top-expanded")));
        requires("pro", api().queryParam("offset", 20).get(path("top-expanded")));
        requires("pro", api().queryParam("from", TODAY.minusDays(45).toString()).get(path("top-expanded")));
        requires("enterprise", api().queryParam("version", "1.0.0").get(path("top-expanded")));
        requires("enterprise", api().queryParam("reasons", true).get(path("stale")));
        requires("pro", api().queryParam("bucket", "day").get(trend()));
        api().get(trend()).then().statusCode(200).body("bucket", equalTo("week"));
    }

    @Test
    void pro() {
        plan(Tier.PRO, null);
        api().queryParam("format", "csv").get(path("top-expanded")).then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .body(startsWith("span_id,level,index,reason,expands,collapses,stale_reports,deployments,residency,"
                        + "swap_rate,delta_nll_p50,delta_nll_p90,last_seen\n"))
                .body(containsString(Long.toUnsignedString(SPAN) + ",1,7,,18,6,0,6,0.5,0.2,0.04,0.04,"));
        api().queryParam("from", TODAY.minusDays(45).toString()).get(path("top-expanded"))
                .then().statusCode(200).body("spans", hasSize(1));
        api().queryParam("offset", 50).get(path("top-expanded")).then().statusCode(200)
                .body("spans", empty()).body("total", equalTo(1));
        requires("enterprise", api().queryParam("from", TODAY.minusDays(400).toString()).get(path("top-expanded")));
        api().queryParam("bucket", "day").get(trend()).then().statusCode(200)
                .body("points.find { it.status == 'published' }.expands", equalTo(18));
        requires("enterprise", api().queryParam("bucket", "hour").get(trend()));
        requires("enterprise", api().queryParam("version", "1.0.0").get(path("stale")));
    }

    @Test
    void enterprise() {
        plan(Tier.ENTERPRISE, null);
        api().queryParam("version", "1.0.0").get(path("top-expanded")).then().statusCode(200)
                .body("spans[0].expands", equalTo(18));
        api().queryParam("reasons", true).get(path("stale")).then().statusCode(200)
                .body("spans[0].reason", equalTo("outdated")).body("spans[0].staleReports", equalTo(6));
        api().queryParam("bucket", "hour").queryParam("from", TODAY.minusDays(1).toString()).get(trend())
                .then().statusCode(200).body("points", hasSize(48))
                .body("points.find { it.start == '" + HOUR + "' }.status", equalTo("published"));
        api().queryParam("from", TODAY.minusDays(1100).toString()).get(path("top-expanded"))
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("from"));
    }

    @Test
    void aTenantMayRaiseKAndNoTierLowersIt() {
        plan(Tier.ENTERPRISE, 7);
        api().get(path("top-expanded")).then().statusCode(200).body("minDeployments", equalTo(7))
                .body("spans", empty());
        api().queryParam("bucket", "day").get(trend()).then().statusCode(200)
                .body("points.find { it.start == '" + HOUR.minus(Duration.ofHours(10)) + "' }.status",
                        equalTo("below_threshold"))
                .body("points.find { it.start == '" + HOUR.minus(Duration.ofHours(10)) + "' }.expands",
                        equalTo(null));
        plan(Tier.ENTERPRISE, 3);
        api().get(path("top-expanded")).then().statusCode(200).body("minDeployments", equalTo(5));
    }

    @Test
    void badTrendQueriesAreProblems() {
        plan(Tier.ENTERPRISE, null);
        api().get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/spans/not-a-span/trend").then().statusCode(400)
                .contentType("application/problem+json");
        api().get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/spans/18446744073709551615/trend")
                .then().statusCode(200).body("points[0].status", equalTo("none"));
        api().queryParam("bucket", "fortnight").get(trend()).then().statusCode(400)
                .body("errors[0].field", equalTo("bucket"));
        api().queryParam("from", "yesterday").get(trend()).then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        api().queryParam("to", TODAY.plusDays(2).toString()).get(trend()).then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        api().queryParam("bucket", "hour").queryParam("from", TODAY.minusDays(60).toString()).get(trend())
                .then().statusCode(400).body("errors[0].field", equalTo("bucket"));
    }

    private void requires(String tier, io.restassured.response.Response response) {
        response.then().statusCode(403).contentType("application/problem+json")
                .body("requiredTier", equalTo(tier)).body("detail", containsString(tier));
    }

    private void plan(Tier tier, Integer k) {
        plans.change(new TenantPlan(tenant, tier, k), "test").await().atMost(Duration.ofSeconds(10));
    }

    private RequestSpecification api() {
        return given().auth().oauth2(service).when();
    }

    private String path(String metric) {
        return "/v1/tenants/" + tenant + "/bundles/" + bundle + "/" + metric;
    }

    private String trend() {
        return "/v1/tenants/" + tenant + "/bundles/" + bundle + "/spans/" + SPAN + "/trend";
    }
}
