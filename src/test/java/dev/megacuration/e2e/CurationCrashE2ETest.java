package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.DemoBundleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curation runner killed (SIGKILL) while it applies a plan: the previous release stays intact and
 * current, the registry and the store never hold half a release, and running apply again finishes the job.
 */
@ExtendWith(LocalServices.class)
class CurationCrashE2ETest {
    private final String bundle = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void killedDuringApplyLeavesThePreviousReleaseAndApplyFinishesLater(Api api, @TempDir Path dir) throws Exception {
        String alice = api.token("alice", "alice");
        String admin = api.clientToken("megacuration-service", "service-secret");
        Path release = dir.resolve("release");
        BundleFiles.Verified base = new DemoBundleGenerator(2_000_000, 64, "crash-model", 9).writeTo(release);
        assertEquals(201, api.uploadRelease(alice, "acme", bundle, "1.0.0", release).status());
        JsonNode tier = api.plan(admin, "acme").requireStatus(200).body();
        api.setPlan(admin, "acme", "pro", null).requireStatus(200);
        try {
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, """
                    half_life_days: 30
                    window_days: 30
                    min_age_days: 0
                    utility: {default: 0.5}
                    partition: {min_bytes_saved: 0}
                    stale: {action: archive, min_reports: 1}
                    paranoia: false
                    approval: auto
                    retention_days: 30
                    """);
            Path planFile = dir.resolve("plan.json");
            Process plan = null;
            for (int attempt = 0; attempt < 10; attempt++) {
                plan = runner(api, "plan", "--tenant", "acme", "--bundle", bundle, "--policy", policy.toString(),
                        "--out", planFile.toString(), "--submit", "--list", "0");
                if (plan.waitFor(120, TimeUnit.SECONDS) && plan.exitValue() == 0) {
                    break;
                }
                Thread.sleep(1000); // the feed follows the tier change within a second or two
            }
            String planOutput = new String(plan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, plan.exitValue(), planOutput);
            assertTrue(planOutput.contains("approved by the policy"), planOutput);

            List<String> outcomes = new ArrayList<>();
            for (long delayMs : new long[] {2000, 4000, 6000, 8000}) {
                Process apply = runner(api, "apply", "--plan", planFile.toString());
                Thread.sleep(delayMs);
                apply.destroyForcibly();
                assertTrue(apply.waitFor(30, TimeUnit.SECONDS));
                outcomes.add(delayMs + "ms: " + state(api, alice));
                assertBaseIntact(api, alice, base);
            }
            long started = System.nanoTime();
            Process finish = runner(api, "apply", "--plan", planFile.toString());
            assertTrue(finish.waitFor(300, TimeUnit.SECONDS));
            outcomes.add("then a whole apply run took " + (System.nanoTime() - started) / 1_000_000 + " ms");
            String output = new String(finish.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // 0: this run published it; 3: a killed run had already published it (the plan is applied).
            assertTrue(finish.exitValue() == 0 || finish.exitValue() == 3 && output.contains("applied"), output);
            assertEquals("curated 1.0.0+c1", state(api, alice), outcomes.toString());
            Process verify = runner(api, "verify", "--tenant", "acme", "--bundle", bundle, "--version", "1.0.0+c1");
            assertTrue(verify.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, verify.exitValue(), new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertBaseIntact(api, alice, base);
            System.out.println("apply kill outcomes: " + outcomes);
        } finally {
            api.setPlan(admin, "acme", tier.get("tier").asText(), null).requireStatus(200);
        }
    }

    /** What the registry holds: only the base, or the base and the whole curated release. */
    private String state(Api api, String token) {
        JsonNode releases = api.get(api.urls().portal() + "/api/tenants/acme/bundles/" + bundle + "/releases", token)
                .requireStatus(200).body();
        if (releases.size() == 1) {
            return "base only";
        }
        assertEquals(2, releases.size(), releases.toString());
        assertEquals("curated", releases.get(0).get("provenance").asText());
        return "curated " + releases.get(0).get("version").asText();
    }

    private void assertBaseIntact(Api api, String token, BundleFiles.Verified base) {
        JsonNode view = api.get(api.releaseUrl("acme", bundle, "1.0.0"), token).requireStatus(200).body();
        assertEquals(base.levels().get(0).sha256(), view.get("lod0Sha256").asText());
        assertTrue(view.get("withdrawnAt") == null || view.get("withdrawnAt").isNull());
    }

    private static Process runner(Api api, String... args) throws Exception {
        Path jar = LocalServices.repoRoot().resolve("curation-runner/target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(api.urls().env());
        return builder.start();
    }
}
