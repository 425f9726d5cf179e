package dev.megacuration.format.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.DemoBundleGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryReleaseStoreTest {
    @TempDir
    Path tmp;

    private final ReleaseKey key = new ReleaseKey("acme", "handbook", "1.0.0");

    @Test
    void storedReleaseReadsBackByteForByteFromAnyOffset() throws IOException {
        DirectoryReleaseStore store = new DirectoryReleaseStore(tmp.resolve("store"));
        Path source = tmp.resolve("src");
        new DemoBundleGenerator(50_000, 8, "m", 1).writeTo(source);
        byte[] lod0 = Files.readAllBytes(source.resolve("LOD0.ctx"));

        assertFalse(store.exists(key));
        store.put(key, source);
        assertTrue(store.exists(key));
        assertFalse(Files.exists(source), "the source folder is consumed");
        assertEquals(lod0.length, store.size(key, "LOD0.ctx"));
        try (InputStream in = store.open(key, "LOD0.ctx", 1000)) {
            assertArrayEquals(Arrays.copyOfRange(lod0, 1000, lod0.length), in.readAllBytes());
        }
        assertThrows(IllegalArgumentException.class, () -> store.open(key, "../../etc/passwd", 0));
    }

    @Test
    void aReleaseIsWrittenOnceEvenUnderConcurrentPuts() throws Exception {
        DirectoryReleaseStore store = new DirectoryReleaseStore(tmp.resolve("store"));
        List<Callable<String>> puts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path staged = store.newStagingDir();
            new DemoBundleGenerator(20_000, 8, "m", i).writeTo(staged);
            puts.add(() -> {
                try {
                    store.put(key, staged);
                    return "stored";
                } catch (ReleaseExistsException e) {
                    return "exists";
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<String> outcomes = new ArrayList<>();
        for (Future<String> outcome : pool.invokeAll(puts)) {
            outcomes.add(outcome.get());
        }
        pool.shutdown();
        outcomes.sort(String::compareTo);
        assertEquals(List.of("exists", "exists", "exists", "stored"), outcomes);
        try (var staging = Files.list(tmp.resolve("store/.staging"))) {
            assertEquals(0, staging.count(), "losers leave no staging folders behind");
        }
    }

    @Test
    void keysCannotEscapeTheStore() {
        assertThrows(IllegalArgumentException.class, () -> new ReleaseKey("acme", "..", "1"));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseKey("acme", "b", "../x"));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseKey("Acme", "b", "1"));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseKey("acme", "b", "1..2"));
    }
}
