package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.UsageReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal in a real browser: Debian's headless chromium driven by Selenium through Debian's
 * chromedriver (deploy/local/prereqs.sh --browser installs both; Selenium Manager's downloads are not
 * used). An author logs in on Keycloak's real login page, sees the seeded bundle's top span and its stale
 * reason, and is refused another tenant's bundle; a consumer opts a deployment out with the form.
 * Screenshots of each step are kept in deploy/target/screenshots.
 */
@ExtendWith(LocalServices.class)
class BrowserE2ETest {
    private static final int K = 5;
    private static final long TOP = SpanId.of(1, 11);
    private static final long STALE = SpanId.of(1, 40);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final String bundle = "browser-" + UUID.randomUUID().toString().substring(0, 8);
    private final String foreignBundle = "globex-only-" + UUID.randomUUID().toString().substring(0, 8);
    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        dev.megacuration.format.store.DirectoryReleaseStore.deleteTree(profile);
    }

    @Test
    void authorSeesTopSpansAndAStaleReasonIsRefusedAnotherTenantsBundleAndAConsumerOptsOut(Api api,
                                                                                         @TempDir Path dir)
            throws Exception {
        String alice = api.token("alice", "alice");
        String bob = api.token("bob", "bob");
        String carol = api.token("carol", "carol");
        String admin = api.clientToken("megacuration-service", "service-secret");
        new DemoBundleGenerator(20_000, 16, "browser-model", 5).writeTo(dir.resolve("acme"));
        assertEquals(201, api.uploadRelease(alice, "acme", bundle, "1.0.0", dir.resolve("acme")).status());
        new DemoBundleGenerator(5_000, 16, "browser-model", 6).writeTo(dir.resolve("globex"));
        assertEquals(201, api.uploadRelease(bob, "globex", foreignBundle, "1.0.0", dir.resolve("globex")).status());

        // K consenting deployments expand TOP and report STALE outdated: both published, the reason too.
        List<String> deployments = new ArrayList<>();
        Instant day = Instant.now().minusSeconds(3_600); // one day for all K: each day's cell needs K of its own
        for (int i = 0; i < K; i++) {
            JsonNode deployment = api.registerDeployment(carol, "browser-" + i).requireStatus(201).body();
            deployments.add(deployment.get("id").asText());
            api.setConsent(carol, deployment.get("id").asText(), "acme", bundle, true).requireStatus(200);
            UsageReport report = UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0", day)
                    .expand(TOP, 4).stale(STALE, "outdated");
            assertEquals(202, api.report(deployment.get("ingestKey").asText(), report.build()).status());
        }
        String before = api.plan(admin, "acme").requireStatus(200).body().get("tier").asText();
        api.setPlan(admin, "acme", "enterprise", null).requireStatus(200); // stale reasons are enterprise
        try {
            await(() -> {
                Api.Reply stale = api.get(api.urls().analytics() + "/v1/tenants/acme/bundles/" + bundle
                        + "/stale?reasons=true", alice);
                return stale.status() == 200 && stale.body().get("tier").asText().equals("enterprise")
                        && stale.body().get("spans").size() > 0;
            }, "the stale reason reaches analytics");
            await(() -> api.topExpanded(alice, "acme", bundle).body().get("spans").size() > 0,
                    "the top span reaches analytics");

            // The author: Keycloak's login page, then the dashboard.
            browser.get(api.urls().portal() + "/bundles/" + bundle);
            logIn("alice", "alice");
            WebElement top = wait(By.id("top-expanded"));
            assertTrue(top.getText().contains(String.valueOf(TOP)), top.getText());
            WebElement reasons = browser.findElement(By.id("stale-reasons"));
            assertTrue(reasons.getText().contains(String.valueOf(STALE)) && reasons.getText().contains("outdated"),
                    reasons.getText());
            screenshot("1-author-dashboard");

            browser.get(api.urls().portal() + "/bundles/" + foreignBundle);
            assertTrue(browser.getPageSource().contains("Not found") || browser.getTitle().contains("Not found"),
                    "another tenant's bundle: " + browser.getPageSource());
            assertTrue(!browser.getPageSource().contains(String.valueOf(TOP)));
            screenshot("2-author-foreign-bundle-refused");

            browser.get(api.urls().portal() + "/logout");
            browser.manage().deleteAllCookies();

            // The consumer opts the first deployment out with the page's form.
            browser.get(api.urls().portal() + "/me");
            logIn("carol", "carol");
            WebElement section = wait(By.id("deployment-" + deployments.get(0)));
            WebElement form = section.findElement(By.cssSelector("form[action$='/consent']"));
            form.findElement(By.name("tenant")).sendKeys("acme");
            form.findElement(By.name("bundle")).sendKeys(bundle);
            form.findElement(By.cssSelector("button[value='false']")).click();
            // The form's post reloads the page: an element found just before the reload goes stale, and the
            // wait looks again instead of failing.
            WebElement after = new WebDriverWait(browser, Duration.ofSeconds(10))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                WebElement s = d.findElement(By.id("deployment-" + deployments.get(0)));
                return s.getText().contains("opted out") ? s : null;
            });
            assertTrue(after.getText().contains(bundle), after.getText());
            screenshot("3-consumer-opted-out");
            JsonNode consent = api.get(api.urls().portal() + "/api/deployments", carol).requireStatus(200).body();
            assertTrue(consent.size() >= K, "carol's deployments are still hers");
        } finally {
            api.setPlan(admin, "acme", before, null).requireStatus(200);
        }
    }

    private void logIn(String user, String password) {
        wait(By.id("kc-form-login"));
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
    }

    private WebElement wait(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out: " + what);
    }
}
