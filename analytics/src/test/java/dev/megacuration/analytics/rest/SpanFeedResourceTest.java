package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.megacuration.analytics.client.ReleaseShape;
import dev.megacuration.analytics.client.Releases;
import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.Tokens;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.analytics.support.UsageTopic.Stale;
import dev.megacuration.format.SpanId;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.tier.Tier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The curation feed: every span of a release with its status, on the real ClickHouse and with real tokens.
 * The release's shape stands in for the portal's answer (the real call runs in the end-to-end tests).
 */
@QuarkusTest
class SpanFeedResourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant HOUR = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().plus(Duration.ofHours(3));
    private static final long USED = SpanId.of(1, 2);
    private static final long RARE = SpanId.of(1, 3);
    private static final long STALE = SpanId.of(2, 0);

    @Inject
    TenantPlans plans;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "feed-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bundle = "guide";

    @BeforeEach
    void releaseOfThirteenSpans() {
        QuarkusMock.installMockForType(new Releases(null) {
            @Override
            public Uni<Optional<ReleaseShape>> shape(String t, String b, String version) {
                boolean known = t.equals(tenant) && b.equals(bundle) && version.equals("1.0.0");
                return Uni.createFrom().item(known ? Optional.of(new ReleaseShape(version, 320, 10, 3)) : Optional.empty());
            }
        }, Releases.class);
    }

    @Test
    void everySpanOfTheReleaseIsListedWithItsStatusPagedLod1ThenLod2() throws Exception {
        plans.change(new TenantPlan(tenant, Tier.PRO, null), "test").await().atMost(WAIT);
        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < 5; d++) {
                // USED: residency 0.3 to 0.7, ΔNLL 0.1 to 0.5, one value per deployment.
                Expand used = new Expand(USED, 4, 0.3 + d / 10.0, 0.2, (d + 1) / 10.0);
                topic.report(tenant, bundle, "1.0.0", "deployment-" + d, HOUR,
                        d < 2 ? List.of(used, new Expand(RARE, 9)) : List.of(used),
                        List.of(new Stale(STALE, d % 2 == 0 ? "outdated" : "wrong")));
            }
            // Another release's use never shows in this one's feed.
            topic.report(tenant, bundle, "2.0.0", "deployment-9", HOUR, List.of(new Expand(SpanId.of(1, 0), 1)),
                    List.of());
        }
        Stored.await(clickhouse, tenant, bundle, 5 + 2 + 5 + 1);
        String token = Tokens.service();

        JsonPath first = feed(token, 0, 5).then().statusCode(200).body("total", equalTo(13)).body("spans", hasSize(5))
                .extract().jsonPath();
        assertEquals("published", status(first, USED, "expand"));
        assertEquals(20, first.getLong("spans.find { it.spanId == " + USED + "L }.expand.expands"));
        String used = "spans.find { it.spanId == " + USED + "L }.expand.";
        assertEquals(0.5, first.getDouble(used + "residency"), 1e-4, "average over the five reports");
        assertEquals(0.2, first.getDouble(used + "swapRate"), 1e-4);
        assertEquals(0.3, first.getDouble(used + "deltaNll.p50"), 1e-3, "median of 0.1 .. 0.5");
        assertEquals(0.5, first.getDouble(used + "deltaNll.p90"), 1e-3);
        assertEquals(HOUR.atZone(ZoneOffset.UTC).toLocalDate().toString(), first.getString(used + "lastSeen"));
        assertNull(first.get("spans.find { it.spanId == " + RARE + "L }.expand.residency"),
                "no statistics below k");

        // The ranking's rows carry the same statistics, from the same published pieces.
        JsonPath top = given().auth().oauth2(token).when().get(base() + "/top-expanded").then().statusCode(200)
                .extract().jsonPath();
        String ranked = "spans.find { it.spanId == " + USED + "L }.";
        assertEquals(0.5, top.getDouble(ranked + "residency"), 1e-4);
        assertEquals(0.3, top.getDouble(ranked + "deltaNll.p50"), 1e-3);
        assertEquals(HOUR.atZone(ZoneOffset.UTC).toLocalDate().toString(), top.getString(ranked + "lastSeen"));
        assertEquals(List.of(Long.toString(USED)), top.getList("spans.spanId", Long.class).stream()
                .map(String::valueOf).toList(), "RARE is under k and never ranked");
        assertEquals("below_threshold", status(first, RARE, "expand"), "2 deployments: used, but under k");
        assertNull(first.get("spans.find { it.spanId == " + RARE + "L }.expand.expands"));
        assertEquals("none", status(first, SpanId.of(1, 0), "expand"), "used only in another release");

        JsonPath last = feed(token, 8, 5).then().statusCode(200).body("spans", hasSize(5)).extract().jsonPath();
        assertEquals(List.of(1, 1, 2, 2, 2), last.getList("spans.level"));
        assertEquals("published", status(last, STALE, "stale"), "5 deployments, mixed reasons");
        assertEquals(5, last.getLong("spans.find { it.spanId == " + STALE + "L }.stale.reports"));
        assertEquals(HOUR.atZone(ZoneOffset.UTC).toLocalDate().toString(),
                last.getString("spans.find { it.spanId == " + STALE + "L }.stale.lastSeen"));

        feed(token, 13, 5).then().statusCode(200).body("spans", hasSize(0));

        // Coverage: of 10 LOD1 spans one is expanded by k or more, one by fewer, eight by nobody; the LOD0
        // tokens under those eight (256 of 320) are 1,024 bytes nobody expanded into.
        given().auth().oauth2(token).when().get(base() + "/versions/1.0.0/summary").then().statusCode(200)
                .body("lod1.spans", equalTo(10)).body("lod1.expanded", equalTo(1))
                .body("lod1.belowThreshold", equalTo(1)).body("lod1.neverExpanded", equalTo(8))
                .body("lod1.expandedShare", equalTo(0.1f)).body("lod2.neverExpanded", equalTo(3))
                .body("bytesBehindNeverExpanded", equalTo(1024));

        // Version comparison is an enterprise breakdown.
        String compare = base() + "/compare?base=1.0.0&target=2.0.0";
        given().auth().oauth2(token).when().get(compare).then().statusCode(403).body("requiredTier", equalTo("enterprise"));
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(WAIT);
        JsonPath comparison = given().auth().oauth2(token).when().get(compare).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("published", comparison.getString("spans.find { it.spanId == " + USED + "L }.baseStatus"));
        assertEquals(20, comparison.getLong("spans.find { it.spanId == " + USED + "L }.baseValue"));
        assertEquals("none", comparison.getString("spans.find { it.spanId == " + USED + "L }.targetStatus"));
        assertNull(comparison.get("spans.find { it.spanId == " + USED + "L }.change"), "no change against a non-number");
        assertEquals("below_threshold", comparison.getString("spans.find { it.spanId == " + SpanId.of(1, 0)
                + "L }.targetStatus"));
        given().auth().oauth2(token).when().get(base() + "/compare?base=1.0.0").then().statusCode(400);
        given().auth().oauth2(token).when().get(base() + "/versions/9.9.9/span-stats").then().statusCode(404)
                .contentType("application/problem+json");
        plans.change(new TenantPlan(tenant, Tier.FREE, null), "test").await().atMost(WAIT);
        feed(token, 0, 5).then().statusCode(403).body("requiredTier", equalTo("pro"));
        given().auth().oauth2(Tokens.user("alice")).when().get(base() + "/versions/1.0.0/span-stats")
                .then().statusCode(403);
    }

    private io.restassured.response.Response feed(String token, long offset, int limit) {
        return given().auth().oauth2(token).queryParam("offset", offset).queryParam("limit", limit)
                .when().get(base() + "/versions/1.0.0/span-stats");
    }

    private static String status(JsonPath feed, long spanId, String cell) {
        return feed.getString("spans.find { it.spanId == " + spanId + "L }." + cell + ".status");
    }

    private String base() {
        return "/v1/tenants/" + tenant + "/bundles/" + bundle;
    }
}
