package dev.megacuration.format.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.CtxFormatException;
import dev.megacuration.format.DemoBundleGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild killed with SIGKILL at different moments never damages its base and never leaves an output
 * that passes as a release: either the whole verified release is there, or verification refuses it.
 */
class RebuildKillTest {
    private static final long TOKENS = 8_000_000;

    @TempDir
    Path dir;

    @Test
    void killedAtAnyMomentTheBaseIsIntactAndTheOutputIsWholeOrRefused() throws Exception {
        Path base = dir.resolve("base");
        BundleFiles.Verified before = new DemoBundleGenerator(TOKENS, 64, "kill", 5).writeTo(base);
        List<String> outcomes = new ArrayList<>();
        for (long delayMs : new long[] {300, 800, 1300, 1800, 2500, -1}) {
            Path out = dir.resolve("out-" + delayMs);
            Process child = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    RebuildChild.class.getName(), base.toString(), out.toString(), String.valueOf(TOKENS / 32))
                    .redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()));
            assertEquals("started", lines.readLine());
            if (delayMs >= 0) {
                Thread.sleep(delayMs);
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            outcomes.add(delayMs + "ms: " + outcome(out));
        }
        assertTrue(outcomes.get(outcomes.size() - 1).endsWith("complete"), "left alone, it finishes: " + outcomes);
        BundleFiles.Verified after = BundleFiles.verify(base);
        for (int level = 0; level < 3; level++) {
            assertEquals(before.levels().get(level).sha256(), after.levels().get(level).sha256(), "base LOD" + level);
        }
        System.out.println("rebuild kill outcomes: " + outcomes);
    }

    /** "complete" if the output verifies; otherwise it must be refused, never half accepted. */
    private static String outcome(Path out) throws IOException {
        if (!Files.exists(out)) {
            return "nothing written";
        }
        try {
            BundleFiles.verify(out);
            return "complete";
        } catch (CtxFormatException | NoSuchFileException refused) {
            assertThrows(Exception.class, () -> BundleFiles.verify(out));
            return "refused (" + refused.getMessage() + ")";
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
