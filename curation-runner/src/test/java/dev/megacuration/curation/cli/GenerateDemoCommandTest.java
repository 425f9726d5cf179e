package dev.megacuration.curation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.BundleFiles;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusMainTest
class GenerateDemoCommandTest {

    @Test
    void writesAVerifiableRelease(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory("demo-release");
        LaunchResult result = launcher.launch("generate-demo", "--tokens", "40000", "--embedding-dim", "8",
                dir.toString());
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        BundleFiles.Verified release = BundleFiles.verify(dir);
        assertEquals(40_000, release.tokens());
        assertTrue(result.getOutput().contains(release.levels().get(0).sha256()), result.getOutput());
    }

    @Test
    @Launch(value = {"plan", "--bundle", "b"}, exitCode = 2)
    void planNeedsATenant(LaunchResult result) {
        assertTrue(result.getErrorOutput().contains("--tenant"), result.getErrorOutput());
    }
}
