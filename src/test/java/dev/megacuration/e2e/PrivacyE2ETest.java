package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.UsageReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises to consumers and the tier limits, across the running services with real tokens: opting
 * out stops reports within 5 s, erasure goes from the consumer's request in the portal to analytics and
 * leaves every number as if the deployment had never reported, consent counts stay under k and within the
 * tenant, and each tier's limits hold for a real author.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyE2ETest {
    private static final int DEPLOYMENTS = 6;
    private static final long SPAN = SpanId.of(1, 3);

    private final String bundle = "privacy-" + UUID.randomUUID().toString().substring(0, 8);
    /**
     * Every report of the class is about yesterday's usage, fixed when the class starts: computed per report,
     * a run over midnight would split a cell over two days, and each day's cell needs k deployments of its own.
     */
    private final Instant day = Instant.now().minusSeconds(86_400);
    private final List<String> ids = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private Api api;
    private String alice;
    private String carol;
    private long releaseSpans;
    private int acceptedAfterOptOut;

    @BeforeAll
    void setUp(Api api, @TempDir Path dir) throws Exception {
        this.api = api;
        alice = api.token("alice", "alice");
        carol = api.token("carol", "carol");
        new DemoBundleGenerator(20_000, 16, "privacy-model", 5).writeTo(dir);
        JsonNode release = api.uploadRelease(alice, "acme", bundle, "1.0.0", dir).requireStatus(201).body();
        releaseSpans = release.get("numLod1").asLong() + release.get("numLod2").asLong();
        for (int d = 0; d < DEPLOYMENTS; d++) {
            JsonNode deployment = api.registerDeployment(carol, "privacy-" + d).requireStatus(201).body();
            ids.add(deployment.get("id").asText());
            keys.add(deployment.get("ingestKey").asText());
            api.setConsent(carol, ids.get(d), "acme", bundle, true).requireStatus(200);
        }
    }

    @Test
    @Order(1)
    void everyDeploymentReportsAndIsCounted() throws InterruptedException {
        for (int d = 0; d < DEPLOYMENTS; d++) {
            // Deployment 0, which leaves later, uses the span heavily, so any leftover would show.
            Api.Reply reply = api.report(keys.get(d), report().expand(SPAN, d == 0 ? 100 : 3).build());
            assertEquals(202, reply.status(), reply.raw());
        }
        JsonNode span = awaitSpan(DEPLOYMENTS);
        assertEquals(100 + 5 * 3, span.get("expands").asLong());
    }

    @Test
    @Order(2)
    void optingOutStopsReportsWithinFiveSeconds() throws InterruptedException {
        String leaving = keys.get(DEPLOYMENTS - 1);
        api.setConsent(carol, ids.get(DEPLOYMENTS - 1), "acme", bundle, false).requireStatus(200);
        long optedOutAt = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - optedOutAt < Duration.ofSeconds(5).toNanos()) {
            status = api.report(leaving, report().expand(SPAN, 1).build()).status();
            if (status == 403) {
                break;
            }
            if (status == 202) {
                acceptedAfterOptOut++; // the edge may hold the old answer for up to 2 s
            }
            Thread.sleep(100);
        }
        assertEquals(403, status, "reports after an opt-out are refused within 5 s");
    }

    @Test
    @Order(3)
    void erasureGoesFromThePortalThroughAnalyticsAndLeavesNoTrace() throws InterruptedException {
        String erased = ids.get(0);
        Api.Reply filed = api.requestErasure(carol, erased);
        assertEquals(202, filed.status(), filed.raw());
        assertEquals("requested", filed.body().get("status").asText());
        assertEquals(404, api.requestErasure(api.token("erin", "erin"), erased).status(), "not erin's deployment");
        int refused = 0;
        for (int attempt = 0; attempt < 25 && refused != 401; attempt++) {
            refused = api.report(keys.get(0), report().expand(SPAN, 1).build()).status();
            if (refused != 401) {
                Thread.sleep(200);
            }
        }
        assertEquals(401, refused, "the erased deployment's credential stops working within 5 s");

        JsonNode status = null;
        for (int attempt = 0; attempt < 120; attempt++) {
            status = api.erasure(carol, erased).requireStatus(200).body();
            if (status.get("status").asText().equals("completed")) {
                break;
            }
            Thread.sleep(500);
        }
        assertNotNull(status);
        assertEquals("completed", status.get("status").asText(), status.toString());
        // Its one report, plus any the edge still accepted while it held the credential (up to 2 s).
        assertTrue(status.get("rowsErased").asLong() >= 1, status.toString());

        JsonNode span = awaitSpan(DEPLOYMENTS - 1);
        assertEquals(5 * 3 + acceptedAfterOptOut, span.get("expands").asLong(),
                "as if deployment 0 had never reported (deployment 5's reports before its opt-out applied count)");
    }

    @Test
    @Order(4)
    void consentCountsAreThresholdedAndStayWithinTheTenant() {
        // Four deployments still share: one opted out, one was erased. Four is under k.
        Api.Reply counts = api.get(api.urls().portal() + "/api/tenants/acme/consent", alice).requireStatus(200);
        JsonNode row = null;
        for (JsonNode bundleRow : counts.body()) {
            if (bundleRow.get("bundle").asText().equals(bundle)) {
                row = bundleRow;
            }
        }
        assertNotNull(row, counts.raw());
        assertEquals("below_threshold", row.get("status").asText());
        assertTrue(row.get("optedIn") == null || row.get("optedIn").isNull(), row.toString());
        assertEquals(404, api.get(api.urls().portal() + "/api/tenants/acme/consent", api.token("bob", "bob")).status());
    }

    @Test
    @Order(5)
    void eachTiersLimitsHoldForARealAuthor() {
        String admin = api.clientToken("megacuration-service", "service-secret");
        JsonNode before = api.plan(admin, "acme").requireStatus(200).body();
        String analytics = api.urls().analytics() + "/v1/tenants/acme/bundles/" + bundle;
        try {
            api.setPlan(admin, "acme", "free", null).requireStatus(200);
            awaitStatus(analytics + "/top-expanded?version=1.0.0", 403);
            assertEquals("enterprise", api.get(analytics + "/top-expanded?version=1.0.0", alice).body()
                    .get("requiredTier").asText());
            assertEquals("pro", api.get(analytics + "/top-expanded?format=csv", alice).body()
                    .get("requiredTier").asText());

            assertEquals("pro", api.get(analytics + "/versions/1.0.0/span-stats", alice).body()
                    .get("requiredTier").asText(), "the curation feed");

            api.setPlan(admin, "acme", "pro", null).requireStatus(200);
            awaitStatus(analytics + "/top-expanded?format=csv", 200);
            // The curation feed asks the real portal for the release's span counts.
            JsonNode feed = api.get(analytics + "/versions/1.0.0/span-stats?limit=10", alice).requireStatus(200).body();
            assertEquals(releaseSpans, feed.get("total").asLong());
            assertEquals("published", feed.get("spans").get((int) SpanId.index(SPAN)).get("expand").get("status")
                    .asText(), feed.toString());
            assertEquals("none", feed.get("spans").get(0).get("expand").get("status").asText());
            assertEquals(403, api.get(analytics + "/spans/" + SPAN + "/trend?bucket=hour", alice).status());

            api.setPlan(admin, "acme", "enterprise", null).requireStatus(200);
            awaitStatus(analytics + "/spans/" + SPAN + "/trend?bucket=hour", 200);
            assertEquals(200, api.get(analytics + "/top-expanded?version=1.0.0", alice).status());
            assertEquals(403, api.setPlan(alice, "acme", "enterprise", null).status(), "authors cannot set plans");
        } finally {
            Integer k = before.get("minDeployments").isNull() ? null : before.get("minDeployments").asInt();
            api.setPlan(admin, "acme", before.get("tier").asText(), k).requireStatus(200);
        }
    }

    /** Plans are cached for a few seconds in analytics: wait for the change to arrive. */
    private void awaitStatus(String url, int expected) {
        int status = 0;
        for (int attempt = 0; attempt < 40 && status != expected; attempt++) {
            status = api.get(url, alice).status();
            if (status != expected) {
                sleep(250);
            }
        }
        assertEquals(expected, status, url);
    }

    private JsonNode awaitSpan(int deployments) throws InterruptedException {
        Api.Reply last = null;
        for (int attempt = 0; attempt < 120; attempt++) {
            last = api.topExpanded(alice, "acme", bundle);
            if (last.status() == 200) {
                for (JsonNode span : last.body().get("spans")) {
                    if (span.get("spanId").asLong() == SPAN && span.get("deployments").asInt() == deployments) {
                        return span;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("span never showed " + deployments + " deployments: " + (last == null ? "" : last.raw()));
    }

    private UsageReport report() {
        return UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0", day);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
