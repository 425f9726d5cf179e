package dev.megacuration.curation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's local release cache keeps the releases used last, and drops what dead runs left. */
class ReleaseCachePruningTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheReleasesUsedLastAndTheOneInUse() throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("releases/acme/guide"));
        Instant now = Instant.now();
        // Five cached releases, used one, two, ... five days ago; the oldest is the one in use right now.
        for (int age = 1; age <= 5; age++) {
            release(bundle, "1.0." + age, now.minus(age, ChronoUnit.DAYS));
        }
        ReleaseFiles.prune(bundle, 2, bundle.resolve("1.0.5"));

        assertEquals(List.of("1.0.1", "1.0.2", "1.0.5"), names(bundle));
    }

    @Test
    void stagingDirectoriesOfDeadRunsGoYoungOnesStay() throws IOException {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        Instant now = Instant.now();
        release(staging, "dead", now.minus(2, ChronoUnit.DAYS));
        release(staging, "running", now.minus(1, ChronoUnit.HOURS));

        ReleaseFiles.prune(staging, now.minus(1, ChronoUnit.DAYS));

        assertEquals(List.of("running"), names(staging));
    }

    private static void release(Path parent, String name, Instant lastUsed) throws IOException {
        Path release = Files.createDirectories(parent.resolve(name));
        Files.writeString(release.resolve("LOD0.ctx"), "payload");
        Files.setLastModifiedTime(release, FileTime.from(lastUsed));
    }

    private static List<String> names(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
