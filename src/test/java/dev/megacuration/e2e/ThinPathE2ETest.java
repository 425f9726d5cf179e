package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.ingestclient.IngestClient;
import dev.megacuration.ingestclient.UsageReport;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.CtxFile;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin path through all five modules, on the real servers and the services as separately running
 * processes: register a bundle, consent, report, Kafka, ClickHouse, the analytics API, the portal's
 * code-flow pages and the curation runner. Each step asserts its hop; later steps build on earlier ones.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThinPathE2ETest {
    private static final int K = 5;
    /** Expanded 3 times by each of the K consenting deployments: published. */
    private static final long HOT = SpanId.of(1, 7);
    /** Expanded by only 3 deployments: under the threshold, never published. */
    private static final long RARE = SpanId.of(1, 8);
    /** Reported stale by all K deployments and never expanded: the plan compacts it. */
    private static final long STALE = SpanId.of(1, 500);

    private final String bundle = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    /**
     * Every report of the class is about yesterday's usage, fixed when the class starts: computed per report,
     * a run over midnight would split a cell over two days, and each day's cell needs k deployments of its own.
     */
    private final Instant day = Instant.now().minusSeconds(86_400);
    private Api api;
    private String alice;
    private String bob;
    private String carol;
    private final List<String> consentingKeys = new ArrayList<>();
    private String nonConsentingKey;

    @BeforeAll
    void tokens(Api api) {
        this.api = api;
        alice = api.token("alice", "alice");
        bob = api.token("bob", "bob");
        carol = api.token("carol", "carol");
    }

    @Test
    @Order(0)
    void authorUploadsARealBundleReleaseOnce(@TempDir Path dir) throws Exception {
        BundleFiles.Verified files = new DemoBundleGenerator(70_000, 16, "e2e-model", 3).writeTo(dir);

        Api.Reply created = api.uploadRelease(alice, "acme", bundle, "1.0.0", dir);
        assertEquals(201, created.status(), created.raw());
        assertEquals(files.levels().get(0).sha256(), created.body().get("lod0Sha256").asText());
        assertEquals(70_000 / 32, created.body().get("numLod1").asLong());

        Api.Reply again = api.uploadRelease(alice, "acme", bundle, "1.0.0", dir);
        assertEquals(409, again.status(), "releases are immutable: " + again.raw());
        assertEquals(409, again.body().get("status").asInt());

        Api.Reply own = api.get(api.urls().portal() + "/api/bundles/" + bundle, alice);
        assertEquals(200, own.status());
        assertEquals("acme", own.body().get("tenant").asText());
        assertEquals(404, api.get(api.urls().portal() + "/api/bundles/" + bundle, bob).status(),
                "another tenant's author must not see the bundle");
        assertEquals(404, api.get(api.releaseUrl("acme", bundle, "1.0.0"), bob).status());

        byte[] lod1 = Files.readAllBytes(dir.resolve("LOD1.ctx"));
        HttpResponse<byte[]> download = BrowserSession.bytes(api.releaseUrl("acme", bundle, "1.0.0")
                + "/files/LOD1.ctx", alice, null);
        assertEquals(200, download.statusCode());
        assertArrayEquals(lod1, download.body(), "downloaded byte for byte");
    }

    @Test
    @Order(1)
    void consumerRegistersDeploymentsAndOnlyConsentingOnesMayReport() {
        for (int i = 0; i <= K; i++) {
            JsonNode deployment = api.registerDeployment(carol, "e2e-" + i).requireStatus(201).body();
            String key = deployment.get("ingestKey").asText();
            assertTrue(key.startsWith("mcd_"));
            if (i < K) {
                JsonNode consent = api.setConsent(carol, deployment.get("id").asText(), "acme", bundle, true)
                        .requireStatus(200).body();
                assertTrue(consent.get("optedIn").asBoolean());
                consentingKeys.add(key);
            } else {
                nonConsentingKey = key;
            }
        }
        assertEquals(403, api.registerDeployment(alice, "not a consumer").status(), "authors cannot register");

        // Huge counts on HOT: if this report were counted, the totals below would show it.
        Api.Reply refused = api.report(nonConsentingKey, report().expand(HOT, 1000).expand(RARE, 1000).build());
        assertEquals(403, refused.status(), refused.raw());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals(403, refused.body().get("status").asInt());
    }

    @Test
    @Order(2)
    void consentingReportsAreAcceptedOnceEach() {
        Api.Reply unknownSpan = api.report(consentingKeys.get(0), report().expand(SpanId.of(1, 5000), 1).build());
        assertEquals(422, unknownSpan.status(), "the release has 2,187 LOD1 spans: " + unknownSpan.raw());

        Map<String, Object> first = report().expand(HOT, 3).expand(RARE, 2).stale(STALE, "outdated").build();
        assertEquals(202, api.report(consentingKeys.get(0), first).status());
        // Sent again (a client retry): accepted, but counted once.
        assertEquals(202, api.report(consentingKeys.get(0), first).status());
        for (int i = 1; i < K; i++) {
            UsageReport report = report().expand(HOT, 3).stale(STALE, i % 2 == 0 ? "wrong" : "outdated");
            if (i < 3) {
                report.expand(RARE, 2);
            }
            Api.Reply accepted = api.report(consentingKeys.get(i), report.build());
            assertEquals(202, accepted.status(), accepted.raw());
        }
    }

    @Test
    @Order(2)
    void theReferenceClientSendsAGzippedBatchAndRetriesWithTheSameIds() {
        IngestClient client = IngestClient.builder(java.net.URI.create(api.urls().ingest()), consentingKeys.get(3))
                .gzip(true).build();
        List<UsageReport> batch = List.of(report().expand(SpanId.of(2, 1), 2), report().stale(SpanId.of(2, 1), "other"));
        List<IngestClient.Result> first = client.sendBatch(batch);
        assertEquals(List.of("accepted", "accepted"), first.stream().map(IngestClient.Result::outcome).toList());
        List<IngestClient.Result> again = client.sendBatch(batch);
        assertEquals(List.of("duplicate", "duplicate"), again.stream().map(IngestClient.Result::outcome).toList());
        IngestClient.Result refused = client.send(report().expand(SpanId.of(1, 99_999), 1));
        assertEquals(422, refused.status());
        assertEquals(1, refused.attempts(), "a final refusal is not retried");
    }

    @Test
    @Order(3)
    void analyticsPublishesOnlyCellsOfKDeploymentsToTheOwnTenant() throws InterruptedException {
        JsonNode hot = awaitSpan(() -> api.topExpanded(alice, "acme", bundle), HOT, K);
        assertEquals(K * 3, hot.get("expands").asLong(), "5 deployments x 3 expands; the retry and the refused "
                + "report are not counted");
        assertEquals(1, hot.get("level").asInt());
        assertEquals(7, hot.get("index").asLong());

        Api.Reply top = api.topExpanded(alice, "acme", bundle);
        assertEquals(K, top.body().get("minDeployments").asInt());
        assertNull(spanOf(top.body(), RARE), "a span of 3 deployments is under k = 5 and must not be published");

        JsonNode stale = awaitSpan(() -> api.stale(alice, "acme", bundle), STALE, K);
        assertEquals(K, stale.get("staleReports").asLong());

        assertEquals(403, api.topExpanded(bob, "acme", bundle).status(), "another tenant's author");
        assertEquals(403, api.topExpanded(carol, "acme", bundle).status(), "a consumer");
        assertEquals(401, api.topExpanded(null, "acme", bundle).status(), "no token");
    }

    @Test
    @Order(4)
    void portalShowsTheSpansToTheirAuthorAndNothingToAnotherTenant() throws Exception {
        String page = api.urls().portal() + "/bundles/" + bundle;
        String admin = api.clientToken("megacuration-service", "service-secret");
        String before = api.plan(admin, "acme").requireStatus(200).body().get("tier").asText();
        setTier(admin, "free");
        try {
            BrowserSession session = new BrowserSession();
            HttpResponse<String> own = session.loginAndOpen(page, "alice", "alice");
            assertEquals(200, own.statusCode(), own.body());
            assertTrue(own.body().contains(">" + HOT + "<"), "the hot span is listed");
            assertTrue(own.body().contains("<td class=\"residency\">0.03</td><td class=\"delta-nll\">0.03</td>"),
                    "with what its reports measured");
            assertTrue(own.body().contains(">" + STALE + "<"), "the stale span is listed");
            assertFalse(own.body().contains(">" + RARE + "<"), "the under-threshold span is not");

            // The dashboard on the free plan: the bundle's trends as SVG bars, coverage of the release (the
            // rare span counts as below threshold, not as never expanded), and what the plan leaves out,
            // saying which plan unlocks it.
            assertTrue(own.body().contains("<strong id=\"tier\">free</strong>"), "the page reads the tenant's plan");
            assertTrue(own.body().contains("<svg class=\"trend\"") && own.body().contains("class=\"published\""),
                    "a published bar in the bundle's trend");
            assertTrue(own.body().contains("<tr><td>LOD1</td><td>" + 70_000 / 32 + "</td><td>1</td><td>1</td>"),
                    "coverage of 1.0.0: one LOD1 span expanded, one below threshold");
            assertTrue(own.body().contains("href=\"/bundles/" + bundle + "/spans/" + HOT + "\""), "spans link to their page");
            assertTrue(own.body().contains("stale reasons per span: not in your plan"), "reasons are locked");
            HttpResponse<String> year = session.open(page + "?window=365");
            assertEquals(200, year.statusCode(), year.body());
            assertTrue(year.body().contains("class=\"locked\"") && year.body().contains("<strong>pro</strong>"),
                    "a year is a pro feature, and the page says so");
            assertFalse(year.body().contains(">" + HOT + "<"), "no numbers from a window the plan does not cover");
            HttpResponse<String> compare = session.open(page + "?base=1.0.0&target=1.0.0");
            assertTrue(compare.body().contains("<strong>enterprise</strong>") && !compare.body().contains("id=\"comparison\""),
                    "version comparison is enterprise");
            assertEquals(400, session.open(page + "?window=12").statusCode(), "a window the page does not offer");
            assertTrue(own.body().contains("id=\"exports-locked\"") && own.body().contains("the pro plan"),
                    "exports are pro");
            HttpResponse<String> refusedExport = session.open(page + "/export?ranking=top-expanded&format=csv");
            assertEquals(403, refusedExport.statusCode());
            assertTrue(refusedExport.body().contains("the pro plan unlocks them"), refusedExport.body());
            HttpResponse<String> lockedTokens = session.open(api.urls().portal() + "/tokens");
            assertTrue(lockedTokens.body().contains("id=\"tokens-locked\""), "API tokens are pro");

            // The span page: where it sits, its numbers, and the same threshold rule in words.
            HttpResponse<String> hot = session.open(page + "/spans/" + HOT);
            assertEquals(200, hot.statusCode(), hot.body());
            assertTrue(hot.body().contains("224 to 256"), "LOD1 #7 covers tokens 224-255");
            assertTrue(hot.body().contains("id=\"parent\" href=\"/bundles/" + bundle + "/spans/" + SpanId.of(2, 0) + "\""),
                    "its parent is LOD2 #0");
            assertTrue(hot.body().contains("expands from " + K + " deployments"), hot.body());
            // What the reports measured (the reference client sends residency and ΔNLL 0.01 per expand).
            assertTrue(hot.body().contains("title=\"share of the time the detail stayed expanded\">0.03</dd>"), hot.body());
            assertTrue(hot.body().contains(">0.03, 0.03</dd>"), "median and 90th percentile of ΔNLL");
            assertTrue(hot.body().contains("id=\"last-seen\""), "the last day seen");
            HttpResponse<String> rare = session.open(page + "/spans/" + RARE);
            assertEquals(200, rare.statusCode());
            assertTrue(rare.body().contains("Expanded by fewer than " + K + " deployments"), "suppressed, and said so");
            HttpResponse<String> stale = session.open(page + "/spans/" + STALE);
            assertTrue(stale.body().contains(K + " stale reports from " + K + " deployments"), stale.body());
            HttpResponse<String> parent = session.open(page + "/spans/" + SpanId.of(2, 0));
            assertEquals(200, parent.statusCode());
            assertTrue(parent.body().contains("32 LOD1 spans") && parent.body().contains(">" + HOT + "</a>"),
                    "an LOD2 span lists its children");
            assertEquals(404, session.open(page + "/spans/" + SpanId.of(1, 1_000_000)).statusCode(), "past the release");
            assertEquals(404, session.open(page + "/spans/5").statusCode(), "LOD0 entries are not spans");

            // The bundle list: versions, how many deployments share (K consenting, not the refused one), and
            // how fresh the data is.
            HttpResponse<String> bundles = session.open(api.urls().portal() + "/bundles");
            String row = bundles.body().substring(bundles.body().indexOf("<a href=\"/bundles/" + bundle + "\">"));
            row = row.substring(0, row.indexOf("</tr>"));
            assertTrue(row.contains("<td>1.0.0</td>") && row.contains("class=\"consent\">" + K + "<")
                    && row.contains("class=\"freshness\">reports in the "), row);

            // On the pro plan: a year, exports and API tokens open up; reasons and comparison stay enterprise.
            setTier(admin, "pro");
            HttpResponse<String> pro = session.open(page + "?window=365&base=1.0.0&target=1.0.0");
            assertEquals(200, pro.statusCode(), pro.body());
            assertTrue(pro.body().contains(">" + HOT + "<") && pro.body().contains("id=\"export-csv\""),
                    "a year's numbers and the export links on pro");
            assertTrue(pro.body().contains("stale reasons per span: not in your plan")
                    && !pro.body().contains("id=\"comparison\""), "reasons and comparison are enterprise");
            assertFalse(session.open(api.urls().portal() + "/tokens").body().contains("id=\"tokens-locked\""),
                    "API tokens on pro");

            // On the enterprise plan the same pages compare versions and break stale reports down by reason.
            setTier(admin, "enterprise");
            HttpResponse<String> enterprise = session.open(page + "?base=1.0.0&target=1.0.0");
            assertTrue(enterprise.body().contains("id=\"comparison\"") && enterprise.body().contains(">" + HOT + "</a>"),
                    "version comparison on enterprise");
            assertFalse(enterprise.body().contains("stale reasons per span: not in your plan"));
            assertFalse(session.open(page + "/spans/" + STALE).body().contains("class=\"locked\""),
                    "nothing locked on the span page");
            HttpResponse<String> csv = session.open(page + "/export?ranking=top-expanded&format=csv");
            assertEquals(200, csv.statusCode(), csv.body());
            assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains(".csv"));
            assertTrue(csv.body().contains(String.valueOf(HOT)) && !csv.body().contains(String.valueOf(RARE)),
                    "the export holds published cells only: " + csv.body());

            // A personal API token: created on the page (shown once), used against analytics, revoked.
            HttpResponse<String> tokensPage = session.open(api.urls().portal() + "/tokens");
            HttpResponse<String> created = session.post(api.urls().portal() + "/tokens",
                    Map.of("name", "e2e script", "csrf", csrf(tokensPage.body())));
            assertEquals(201, created.statusCode(), created.body());
            java.util.regex.Matcher secret = java.util.regex.Pattern.compile("id=\"secret\">([^<]+)<")
                    .matcher(created.body());
            assertTrue(secret.find(), created.body());
            assertEquals(200, api.topExpanded(secret.group(1), "acme", bundle).status(), "the token reads analytics");
            java.util.regex.Matcher revoke = java.util.regex.Pattern.compile("action=\"(/tokens/[0-9a-f-]{36}/revoke)\"")
                    .matcher(created.body());
            assertTrue(revoke.find(), created.body());
            HttpResponse<String> revoked = session.post(api.urls().portal() + revoke.group(1),
                    Map.of("csrf", csrf(created.body())));
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertFalse(revoked.body().contains(secret.group(1)), "the secret is never shown again");
            int status = 0;
            for (int attempt = 0; attempt < 40 && status != 401; attempt++) { // analytics may cache a token briefly
                status = api.topExpanded(secret.group(1), "acme", bundle).status();
                if (status != 401) {
                    Thread.sleep(250);
                }
            }
            assertEquals(401, status, "a revoked token reads nothing");

            BrowserSession other = new BrowserSession();
            HttpResponse<String> foreign = other.loginAndOpen(page, "bob", "bob");
            assertEquals(404, foreign.statusCode());
            assertFalse(foreign.body().contains(String.valueOf(HOT)));
            HttpResponse<String> foreignSpan = other.open(page + "/spans/" + HOT);
            assertEquals(404, foreignSpan.statusCode(), "another tenant's span");
            assertFalse(foreignSpan.body().contains("expands from"));
            HttpResponse<String> list = other.open(api.urls().portal() + "/bundles");
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("globex"));
            assertFalse(list.body().contains(bundle));
        } finally {
            setTier(admin, before);
        }
    }

    /** Changes acme's plan and waits until analytics answers under it (it caches plans for a few seconds). */
    private void setTier(String admin, String tier) throws InterruptedException {
        api.setPlan(admin, "acme", tier, null).requireStatus(200);
        for (int attempt = 0; attempt < 40; attempt++) {
            Api.Reply reply = api.topExpanded(alice, "acme", bundle);
            if (reply.status() == 200 && tier.equals(reply.body().get("tier").asText())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("analytics never saw acme on the " + tier + " plan");
    }

    @Test
    @Order(5)
    void curationRunnerPlansAPersonApprovesItIsAppliedRestoredAndRolledBack(@TempDir Path dir) throws Exception {
        String admin = api.clientToken("megacuration-service", "service-secret");
        JsonNode tier = api.plan(admin, "acme").requireStatus(200).body();
        api.setPlan(admin, "acme", "pro", null).requireStatus(200); // the curation feed is a pro feature
        try {
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    half_life_days: 30
                    window_days: 90
                    min_age_days: 0
                    utility: {default: 0.5}
                    partition: {min_bytes_saved: 0}
                    tags: {protected: never_prune}
                    stale: {action: archive, min_reports: 1}
                    paranoia: false
                    approval: manual
                    retention_days: 30
                    """);
            Path planFile = dir.resolve("plan.json");
            Run plan = awaitRun(() -> runner(Map.of(), "plan", "--tenant", "acme", "--bundle", bundle, "--version",
                    "1.0.0", "--policy", policy.toString(), "--out", planFile.toString(), "--submit"));
            assertTrue(plan.output().contains("Submitted plan") && plan.output().contains("proposed"), plan.output());
            JsonNode document = Api.JSON.readTree(planFile.toFile());
            String planId = document.get("planId").asText();
            assertEquals("ARCHIVE", change(document, STALE).get("action").asText(), "stale and never expanded");
            assertEquals("stale", change(document, STALE).get("reason").asText());
            assertNull(change(document, HOT), "the hot span is kept: not a change");
            assertNull(change(document, RARE), "used by fewer than k deployments: used, so kept");

            Run explain = runner(Map.of(), "plan", "--tenant", "acme", "--bundle", bundle, "--version", "1.0.0",
                    "--policy", policy.toString(), "--explain", String.valueOf(HOT));
            assertEquals(0, explain.exit(), explain.output());
            assertTrue(explain.output().contains("keep, used"), explain.output());

            // The author reads the plan in the portal; another tenant's author cannot; a forged form changes nothing.
            String plansPage = api.urls().portal() + "/bundles/" + bundle + "/plans";
            BrowserSession browser = new BrowserSession();
            HttpResponse<String> list = browser.loginAndOpen(plansPage, "alice", "alice");
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.body().contains(planId), list.body());
            HttpResponse<String> page = browser.open(plansPage + "/" + planId);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains(">" + STALE + "<") && page.body().contains("id=\"decision\""), page.body());
            assertEquals(404, new BrowserSession().loginAndOpen(plansPage + "/" + planId, "bob", "bob").statusCode());
            HttpResponse<String> forged = browser.post(plansPage + "/" + planId + "/decision",
                    Map.of("decision", "reject", "csrf", "forged"));
            assertEquals(403, forged.statusCode(), "no matching CSRF token: " + forged.body());
            assertTrue(forged.body().contains("id=\"status\">proposed<"), forged.body());

            // A second plan of the same release, rejected in the portal with a comment, is never applied.
            Path secondFile = dir.resolve("second.json");
            awaitRun(() -> runner(Map.of(), "plan", "--tenant", "acme", "--bundle", bundle, "--version", "1.0.0",
                    "--policy", policy.toString(), "--out", secondFile.toString(), "--submit"));
            String second = Api.JSON.readTree(secondFile.toFile()).get("planId").asText();
            HttpResponse<String> secondPage = browser.open(plansPage + "/" + second);
            java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                    .matcher(secondPage.body());
            assertTrue(csrf.find(), secondPage.body());
            HttpResponse<String> rejected = browser.post(plansPage + "/" + second + "/decision",
                    Map.of("decision", "reject", "comment", "not this one", "csrf", csrf.group(1)));
            assertEquals(200, rejected.statusCode(), rejected.body());
            assertTrue(rejected.body().contains("id=\"status\">rejected<") && rejected.body().contains("not this one"),
                    rejected.body());
            assertEquals(3, runner(Map.of(), "apply", "--plan", secondFile.toString()).exit(), "a rejected plan");

            Run unapproved = runner(Map.of(), "apply", "--plan", planFile.toString());
            assertEquals(3, unapproved.exit(), "a proposed plan is not applied: " + unapproved.output());
            Run serviceApproval = runner(Map.of("MC_USER_TOKEN", admin), "approve", "--tenant", "acme", "--bundle",
                    bundle, "--plan", planId);
            assertEquals(5, serviceApproval.exit(), "a service account cannot approve: " + serviceApproval.output());
            Run approve = runner(Map.of("MC_USER_TOKEN", alice), "approve", "--tenant", "acme", "--bundle", bundle,
                    "--plan", planId, "--comment", "stale chapter");
            assertEquals(0, approve.exit(), approve.output());
            assertTrue(approve.output().contains("approved by alice"), approve.output());

            Path tampered = dir.resolve("tampered.json");
            Files.writeString(tampered, Files.readString(planFile).replace("\"stale\"", "\"stale!\""));
            assertEquals(2, runner(Map.of(), "apply", "--plan", tampered.toString()).exit(), "not the approved plan");
            double spansBefore = portalMetric("megacuration_curation_spans_total", "action=");
            double reclaimedBefore = portalMetric("megacuration_curation_bytes_reclaimed_total", "action=");
            Run apply = runner(Map.of(), "apply", "--plan", planFile.toString());
            assertEquals(0, apply.exit(), apply.output());
            assertTrue(apply.output().contains("Published 1.0.0+c1"), apply.output());
            // Operators see it on the dashboard: every change of the plan, and at least the LOD0 block
            // each changed LOD1 span held.
            assertEquals(document.get("changes").size(), portalMetric("megacuration_curation_spans_total", "action=")
                    - spansBefore, 0.0);
            assertTrue(portalMetric("megacuration_curation_bytes_reclaimed_total", "action=") - reclaimedBefore
                    >= 32.0 * document.get("changes").size(), "at least a block of token bytes per changed span");
            assertEquals(3, runner(Map.of(), "apply", "--plan", planFile.toString()).exit(), "applied once");

            Run verify = runner(Map.of(), "verify", "--json", "--tenant", "acme", "--bundle", bundle, "--version",
                    "1.0.0+c1");
            assertEquals(0, verify.exit(), verify.output());
            JsonNode verified = Api.JSON.readTree(verify.output().substring(verify.output().indexOf('{')));
            assertTrue(verified.get("compacted").asBoolean(), verify.output());
            long removed = 70_000 - verified.get("LOD0").get("present").asLong();
            assertEquals(32L * document.get("changes").size(), removed, "each planned LOD1 span took its block");
            byte[] original = block(api.releaseUrl("acme", bundle, "1.0.0"), STALE);

            Run restore = runner(Map.of(), "restore", "--tenant", "acme", "--bundle", bundle, "--span",
                    String.valueOf(STALE));
            assertEquals(0, restore.exit(), restore.output());
            assertTrue(restore.output().contains("Published 1.0.0+c2"), restore.output());
            assertArrayEquals(original, block(api.releaseUrl("acme", bundle, "1.0.0+c2"), STALE),
                    "restored byte for byte");

            JsonNode log = api.get(api.urls().portal() + "/api/tenants/acme/bundles/" + bundle
                    + "/curation-events?span=" + STALE, alice).requireStatus(200).body();
            List<String> actions = new ArrayList<>();
            log.forEach(e -> actions.add(e.get("action").asText() + ":" + e.get("newState").asText()));
            assertEquals(List.of("span_archive:archived", "span_restore:present"), actions);
            assertEquals(404, api.get(api.urls().portal() + "/api/tenants/acme/bundles/" + bundle
                    + "/curation-events", bob).status(), "another tenant's author");

            Run rollback = runner(Map.of(), "rollback", "--tenant", "acme", "--bundle", bundle, "--plan", planId);
            assertEquals(0, rollback.exit(), rollback.output());
            JsonNode releases = api.get(api.urls().portal() + "/api/tenants/acme/bundles/" + bundle + "/releases",
                    alice).requireStatus(200).body();
            for (JsonNode release : releases) {
                boolean curated = release.get("version").asText().contains("+c");
                assertEquals(curated, release.hasNonNull("withdrawnAt"), release.toString());
            }
        } finally {
            api.setPlan(admin, "acme", tier.get("tier").asText(), null).requireStatus(200);
        }
    }

    /** The LOD0 tokens of one LOD1 span, read with the shared reader from the release a consumer downloads. */
    private byte[] block(String releaseUrl, long spanId) throws Exception {
        HttpResponse<byte[]> file = BrowserSession.bytes(releaseUrl + "/files/LOD0.ctx", alice, null);
        assertEquals(200, file.statusCode());
        Path copy = Files.createTempFile("lod0", ".ctx");
        try {
            Files.write(copy, file.body());
            try (CtxFile lod0 = CtxFile.open(copy, 0)) {
                java.nio.ByteBuffer tokens = lod0.entries(SpanId.index(spanId) * 32, 32);
                byte[] bytes = new byte[tokens.remaining()];
                tokens.get(bytes);
                return bytes;
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static JsonNode change(JsonNode plan, long spanId) {
        for (JsonNode change : plan.get("changes")) {
            if (change.get("spanId").asLong() == spanId) {
                return change;
            }
        }
        return null;
    }

    private interface Command {
        Run run() throws Exception;
    }

    /** The feed follows a tier change within a second or two: retried until the plan runs. */
    private static Run awaitRun(Command command) throws Exception {
        Run run = command.run();
        for (int attempt = 0; attempt < 10 && run.exit() == 5; attempt++) {
            Thread.sleep(1000);
            run = command.run();
        }
        assertEquals(0, run.exit(), run.output());
        return run;
    }

    @Test
    @Order(6)
    void curationRunnerImportsAReleaseThroughThePortal(@TempDir Path dir) throws Exception {
        new DemoBundleGenerator(100_000, 16, "e2e-model", 4).writeTo(dir);
        Run imported = runner("import", "--tenant", "acme", "--bundle", bundle, "--version", "1.1.0", dir.toString());
        assertEquals(0, imported.exit(), imported.output());
        assertTrue(imported.output().contains("3,125 LOD1"), imported.output());

        Run again = runner("import", "--tenant", "acme", "--bundle", bundle, "--version", "1.1.0", dir.toString());
        assertEquals(3, again.exit(), "a second import of a version is a conflict: " + again.output());

        HttpResponse<byte[]> lod2 = BrowserSession.bytes(api.releaseUrl("acme", bundle, "1.1.0") + "/files/LOD2.ctx",
                alice, "bytes=64-");
        assertEquals(206, lod2.statusCode());
        byte[] expected = Files.readAllBytes(dir.resolve("LOD2.ctx"));
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 64, expected.length), lod2.body());

        Files.write(dir.resolve("LOD1.ctx"), new byte[10]);
        Run corrupt = runner("import", "--tenant", "acme", "--bundle", bundle, "--version", "1.2.0", dir.toString());
        assertEquals(2, corrupt.exit(), corrupt.output());
        assertTrue(corrupt.output().contains("not a valid release"), corrupt.output());
    }

    @Test
    @Order(8)
    void consumerRegistersADeploymentOptsInAndOutSeesWhatItSharesAndAsksForErasure() throws Exception {
        String me = api.urls().portal() + "/me";
        BrowserSession carolBrowser = new BrowserSession();
        HttpResponse<String> page = carolBrowser.loginAndOpen(me, "carol", "carol");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("id=\"contract\""), "the named contract is on the page");

        String name = "laptop-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> forged = carolBrowser.post(me + "/deployments", Map.of("name", name, "csrf", "forged"));
        assertEquals(403, forged.statusCode(), "a form without this page's token");
        assertFalse(forged.body().contains(">" + name + " <"), "and nothing was registered");

        HttpResponse<String> registered = carolBrowser.post(me + "/deployments", Map.of("name", name, "csrf",
                csrf(forged.body())));
        assertEquals(201, registered.statusCode(), registered.body());
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("id=\"ingest-key\">([^<]+)<")
                .matcher(registered.body());
        assertTrue(key.find(), "the key is shown once");
        assertTrue(registered.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        java.util.regex.Matcher section = java.util.regex.Pattern.compile("id=\"deployment-([0-9a-f-]{36})\">\\s*<h2>"
                + java.util.regex.Pattern.quote(name)).matcher(registered.body());
        assertTrue(section.find(), registered.body());
        String id = section.group(1);
        HttpResponse<String> again = carolBrowser.open(me);
        assertFalse(again.body().contains(key.group(1)), "never shown again");

        String csrf = csrf(again.body());
        HttpResponse<String> in = carolBrowser.post(me + "/deployments/" + id + "/consent",
                Map.of("tenant", "acme", "bundle", bundle, "optedIn", "true", "csrf", csrf));
        assertEquals(200, in.statusCode(), "back on the page after the 303");
        assertTrue(deploymentSection(in.body(), id).contains("opted in"), in.body());
        assertEquals(202, api.report(key.group(1), report().expand(HOT, 1).build()).status(),
                "the opted-in deployment's key is accepted at the ingest edge");

        HttpResponse<String> sample = carolBrowser.open(me + "/deployments/" + id + "/sample?tenant=acme&bundle=" + bundle);
        assertEquals(200, sample.statusCode(), sample.body());
        assertTrue(sample.body().contains("&quot;deployment&quot;") || sample.body().contains("\"deployment\""),
                "the pseudonym field");
        assertFalse(sample.body().contains(id), "the deployment id is never in what is shared");

        HttpResponse<String> out = carolBrowser.post(me + "/deployments/" + id + "/consent",
                Map.of("tenant", "acme", "bundle", bundle, "optedIn", "false", "csrf", csrf(in.body())));
        assertTrue(deploymentSection(out.body(), id).contains("opted out"), out.body());
        int status = 0;
        for (int attempt = 0; attempt < 40 && status != 403; attempt++) { // the edge caches consent for 2 s
            Thread.sleep(250);
            status = api.report(key.group(1), report().expand(HOT, 1).build()).status();
        }
        assertEquals(403, status, "after opting out the key's reports are refused");

        // Another consumer cannot touch it, nor see it.
        BrowserSession erinBrowser = new BrowserSession();
        HttpResponse<String> erinPage = erinBrowser.loginAndOpen(me, "erin", "erin");
        assertFalse(erinPage.body().contains(id));
        assertEquals(404, erinBrowser.post(me + "/deployments/" + id + "/consent", Map.of("tenant", "acme",
                "bundle", bundle, "optedIn", "true", "csrf", csrf(erinPage.body()))).statusCode());
        assertEquals(404, erinBrowser.open(me + "/deployments/" + id + "/sample?tenant=acme&bundle=" + bundle)
                .statusCode());
        assertEquals(403, erinBrowser.open(api.urls().portal() + "/bundles").statusCode(), "a consumer is no author");

        HttpResponse<String> erased = carolBrowser.post(me + "/deployments/" + id + "/erasure",
                Map.of("csrf", csrf(out.body())));
        assertTrue(deploymentSection(erased.body(), id).contains("class=\"erasure-status\""), erased.body());
    }

    @Test
    @Order(9)
    void adminSeesTenantsAndIngestHealthAndChangesAPlan() throws Exception {
        String adminPage = api.urls().portal() + "/admin";
        assertEquals(403, new BrowserSession().loginAndOpen(adminPage, "alice", "alice").statusCode(),
                "an author is no admin");
        BrowserSession browser = new BrowserSession();
        HttpResponse<String> page = browser.loginAndOpen(adminPage, "admin", "admin");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("id=\"tenant-acme\"") && page.body().contains("id=\"tenant-globex\""),
                "every tenant with bundles");
        java.util.regex.Matcher accepted = java.util.regex.Pattern.compile("<strong>(\\d+)</strong> reports accepted")
                .matcher(page.body());
        assertTrue(accepted.find() && Long.parseLong(accepted.group(1)) > 0, "the edge's accepted reports: " + page.body());
        assertTrue(page.body().contains("<td>rejected</td>"), "and rejected ones by reason (the non-consenting key)");
        assertTrue(page.body().contains("id=\"consumer-lag\""), "analytics' consumer lag");

        String admin = api.clientToken("megacuration-service", "service-secret");
        JsonNode before = api.plan(admin, "acme").requireStatus(200).body();
        String tier = before.get("tier").asText();
        try {
            // Each page sets a fresh form token: a post uses the one of the page it came from.
            HttpResponse<String> forged = browser.post(adminPage + "/tenants/acme/plan", Map.of("tier", tier,
                    "minDeployments", "7", "csrf", "forged"));
            assertEquals(403, forged.statusCode(), "a forged form");
            assertFalse(api.plan(admin, "acme").requireStatus(200).body().hasNonNull("minDeployments"),
                    "changed nothing");
            HttpResponse<String> low = browser.post(adminPage + "/tenants/acme/plan", Map.of("tier", tier,
                    "minDeployments", "2", "csrf", csrf(forged.body())));
            assertEquals(400, low.statusCode(), "k below the floor");
            HttpResponse<String> changed = browser.post(adminPage + "/tenants/acme/plan", Map.of("tier", tier,
                    "minDeployments", "7", "csrf", csrf(low.body())));
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals(7, api.plan(admin, "acme").requireStatus(200).body().get("minDeployments").asInt());
            assertTrue(changed.body().contains("<td class=\"k\">7 (own)</td>"), changed.body());
        } finally {
            api.setPlan(admin, "acme", tier, null).requireStatus(200);
        }
    }

    @Test
    @Order(10)
    void authorTagsSpansAndRaisesTheThresholdOnTheSettingsPage() throws Exception {
        String settings = api.urls().portal() + "/bundles/" + bundle + "/settings";
        BrowserSession browser = new BrowserSession();
        HttpResponse<String> page = browser.loginAndOpen(settings, "alice", "alice");
        assertEquals(200, page.statusCode(), page.body());
        long chapter = SpanId.of(2, 1);
        HttpResponse<String> tagged = browser.post(settings + "/tags", Map.of("spanId", String.valueOf(chapter),
                "tag", "protected", "subtree", "on", "csrf", csrf(page.body())));
        assertEquals(200, tagged.statusCode(), tagged.body());
        assertTrue(tagged.body().contains("<td class=\"tag-name\">protected</td>"), tagged.body());
        JsonNode tags = api.get(api.urls().portal() + "/api/tenants/acme/bundles/" + bundle + "/tags", alice)
                .requireStatus(200).body();
        assertEquals(chapter, tags.get(0).get("spanId").asLong());
        assertTrue(tags.get(0).get("subtree").asBoolean(), "the curation policy reads the same tag");
        HttpResponse<String> missing = browser.post(settings + "/tags", Map.of("spanId",
                String.valueOf(SpanId.of(1, 1_000_000)), "tag", "protected", "csrf", csrf(tagged.body())));
        assertEquals(400, missing.statusCode(), "a span the release does not have");
        HttpResponse<String> removed = browser.post(settings + "/tags", Map.of("spanId", String.valueOf(chapter),
                "tag", "protected", "remove", "true", "csrf", csrf(missing.body())));
        assertTrue(removed.body().contains("id=\"no-tags\""), removed.body());

        String admin = api.clientToken("megacuration-service", "service-secret");
        String tier = api.plan(admin, "acme").requireStatus(200).body().get("tier").asText();
        try {
            HttpResponse<String> lower = browser.post(settings + "/k", Map.of("minDeployments", "3",
                    "csrf", csrf(removed.body())));
            assertEquals(400, lower.statusCode(), "never below the platform's k");
            HttpResponse<String> raised = browser.post(settings + "/k", Map.of("minDeployments", "8",
                    "csrf", csrf(lower.body())));
            assertTrue(raised.body().contains("<strong>8</strong>"), raised.body());
            assertEquals(8, api.plan(admin, "acme").requireStatus(200).body().get("minDeployments").asInt());
            assertEquals(tier, api.plan(admin, "acme").requireStatus(200).body().get("tier").asText(),
                    "an author changes k, never the tier");
        } finally {
            api.setPlan(admin, "acme", tier, null).requireStatus(200);
        }

        BrowserSession other = new BrowserSession();
        assertEquals(404, other.loginAndOpen(settings, "bob", "bob").statusCode(), "another tenant's bundle");
        assertEquals(403, new BrowserSession().loginAndOpen(settings, "carol", "carol").statusCode(), "a consumer");
    }

    /**
     * Every page against every role and tenant, logged in through Keycloak's real page: what each may open
     * (200), what is not theirs (404, so another tenant's names are not even confirmed) and what their role
     * excludes (403). The tier-dependent parts are checked on the free and enterprise plans above.
     */
    @Test
    @Order(11)
    void everyPageChecksRoleAndTenantOnTheServer() throws Exception {
        String portal = api.urls().portal();
        String b = "/bundles/" + bundle;
        List<String> pages = List.of("/", "/bundles", b, b + "/spans/" + HOT, b + "/settings", b + "/plans",
                "/tokens", "/me", "/admin");
        Map<String, List<Integer>> expected = new java.util.LinkedHashMap<>();
        //                          /    /bundles  bundle span settings plans tokens /me  /admin
        expected.put("alice", List.of(200, 200, 200, 200, 200, 200, 200, 403, 403));
        expected.put("bob", List.of(200, 200, 404, 404, 404, 404, 200, 403, 403));
        expected.put("carol", List.of(200, 403, 403, 403, 403, 403, 403, 200, 403));
        expected.put("admin", List.of(200, 403, 403, 403, 403, 403, 403, 403, 200));
        for (Map.Entry<String, List<Integer>> user : expected.entrySet()) {
            BrowserSession browser = new BrowserSession();
            browser.loginAndOpen(portal + "/bundles", user.getKey(), user.getKey());
            List<Integer> got = new ArrayList<>();
            for (String path : pages) {
                got.add(browser.open(portal + path).statusCode());
            }
            assertEquals(user.getValue(), got, user.getKey() + " on " + pages);
        }
        // Without a session every page but the start page sends the browser to Keycloak's login.
        for (String path : pages.subList(1, pages.size())) {
            HttpResponse<String> anonymous = new BrowserSession().open(portal + path);
            assertTrue(anonymous.body().contains("kc-form-login"), path + " asks for a login");
        }
    }

    /** The sum of acme's series of a portal metric (Prometheus text format). */
    private double portalMetric(String name, String labels) {
        return api.metricSum(api.urls().portal(), name, labels, "tenant=\"acme\"");
    }

    private static String csrf(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "a form token on the page");
        return m.group(1);
    }

    private static String deploymentSection(String page, String id) {
        int start = page.indexOf("id=\"deployment-" + id + "\"");
        assertTrue(start >= 0, "the deployment is on the page");
        int end = page.indexOf("</section>", start);
        return page.substring(start, end);
    }

    private record Run(int exit, String output) {
    }

    /** The megacuration command as a person runs it, pointed at this instance. */
    private Run runner(String... args) throws Exception {
        return runner(Map.of(), args);
    }

    private Run runner(Map<String, String> env, String... args) throws Exception {
        Path jar = LocalServices.repoRoot().resolve("curation-runner/target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(api.urls().env());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
        return new Run(process.exitValue(), output);
    }

    private UsageReport report() {
        return UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0", day);
    }

    private interface Query {
        Api.Reply run();
    }

    /** Polls until the span shows up with the expected number of deployments (Kafka → ClickHouse is async). */
    private static JsonNode awaitSpan(Query query, long spanId, int deployments) throws InterruptedException {
        Api.Reply last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            last = query.run();
            assertEquals(200, last.status(), last.raw());
            JsonNode span = spanOf(last.body(), spanId);
            if (span != null && span.get("deployments").asInt() == deployments) {
                return span;
            }
            Thread.sleep(500);
        }
        assertNotNull(null, "span " + spanId + " never reached " + deployments + " deployments: " + last.raw());
        return null;
    }

    private static JsonNode spanOf(JsonNode stats, long spanId) {
        for (JsonNode span : stats.get("spans")) {
            if (span.get("spanId").asLong() == spanId) {
                return span;
            }
        }
        return null;
    }
}
