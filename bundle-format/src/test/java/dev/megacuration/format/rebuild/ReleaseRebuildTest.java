package dev.megacuration.format.rebuild;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchivedRun.Action;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.BundleMetadata;
import dev.megacuration.format.CtxFile;
import dev.megacuration.format.CtxFormatException;
import dev.megacuration.format.CtxHeader;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.EntryCompactedException;
import dev.megacuration.format.SpanId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseRebuildTest {
    private static final int TOKENS = 5 * 1024 + 100; // five LOD2 spans and a partial block
    private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void compactedReleaseReadsKeptEntriesAtComputedOffsetsAndRestoresByteForByte() throws IOException {
        Path base = base();
        long lod1Compacted = SpanId.of(1, 3);
        long lod1Archived = SpanId.of(1, 40);
        long lod2Compacted = SpanId.of(2, 2);
        List<Removal> plan = List.of(
                new Removal(lod1Compacted, Action.COMPACT, 0, 3 * 32, 32),
                new Removal(lod1Archived, Action.ARCHIVE, 0, 40 * 32, 32),
                new Removal(lod1Archived, Action.ARCHIVE, 1, 40, 1),
                new Removal(lod2Compacted, Action.COMPACT, 0, 2 * 1024, 1024),
                new Removal(lod2Compacted, Action.COMPACT, 1, 2 * 32, 32));
        UUID planId = UUID.randomUUID();
        RebuildResult curated = ReleaseRebuild.rebuild(base, dir.resolve("v2"),
                new RebuildRequest(planId, "1.0.0", plan, Set.of(), NOW, null), Progress.NONE);

        assertTrue(curated.verified().compacted());
        assertEquals(5, curated.archived().size());
        long removedBytes = (32 + 32 + 1024) * 4L + 33L * 16 * 2;
        assertEquals(removedBytes, baseLiveBytes(base) - payloadBytes(curated.verified()));
        try (CtxFile before = CtxFile.open(base.resolve("LOD0.ctx"), 0);
             CtxFile after = CtxFile.open(dir.resolve("v2/LOD0.ctx"), 0)) {
            assertEquals(CtxHeader.COMPACT_VERSION, after.header().version());
            assertEquals(TOKENS, after.header().numEntries(), "the timeline keeps its length");
            for (long n : new long[] {0, 95, 128, 1279, 1312, 2047, 3072, TOKENS - 1}) {
                assertEquals(before.token(n), after.token(n), "token " + n);
            }
            assertThrows(EntryCompactedException.class, () -> after.token(3 * 32 + 5));
            assertThrows(EntryCompactedException.class, () -> after.token(2 * 1024 + 700));
        }
        try (CtxFile lod1 = CtxFile.open(dir.resolve("v2/LOD1.ctx"), 1)) {
            assertTrue(lod1.isPresent(3), "a compacted span keeps its gist");
            assertFalse(lod1.isPresent(40), "an archived span loses it");
            assertFalse(lod1.isPresent(65));
        }

        // Restore one span, then everything: each brings back exactly the original bytes.
        RebuildResult one = ReleaseRebuild.rebuild(dir.resolve("v2"), dir.resolve("v3"),
                new RebuildRequest(UUID.randomUUID(), "1.0.0+c1", List.of(), Set.of(lod1Archived), NOW, null), Progress.NONE);
        assertEquals(2, one.restored().size());
        assertEquals(3, one.verified().metadata().curation().archiveRuns());
        RebuildResult all = ReleaseRebuild.rebuild(dir.resolve("v3"), dir.resolve("v4"),
                new RebuildRequest(UUID.randomUUID(), "1.0.0+c2", List.of(),
                        Set.of(lod1Compacted, lod2Compacted), NOW, null), Progress.NONE);
        assertFalse(all.verified().compacted(), "everything back: dense version 1 again");
        for (String file : List.of("LOD0.ctx", "LOD1.ctx", "LOD2.ctx")) {
            assertArrayEquals(Files.readAllBytes(base.resolve(file)), Files.readAllBytes(dir.resolve("v4").resolve(file)),
                    file + " byte for byte");
        }
        assertFalse(Files.exists(dir.resolve("v4").resolve(ArchiveFile.FILE_NAME)));
    }

    @Test
    void deletedRunsStayRestorableUntilRetentionThenAreDropped() throws IOException {
        Path base = base();
        long span = SpanId.of(1, 7);
        Instant until = NOW.plus(Duration.ofDays(30));
        ReleaseRebuild.rebuild(base, dir.resolve("v2"), new RebuildRequest(UUID.randomUUID(), "1.0.0",
                List.of(new Removal(span, Action.DELETE, 0, 7 * 32, 32), new Removal(span, Action.DELETE, 1, 7, 1)),
                Set.of(), NOW, until), Progress.NONE);
        RebuildResult early = ReleaseRebuild.rebuild(dir.resolve("v2"), dir.resolve("v3"),
                new RebuildRequest(UUID.randomUUID(), "v2", List.of(), Set.of(), NOW.plus(Duration.ofDays(29)), null),
                Progress.NONE);
        assertEquals(List.of(), early.dropped());
        assertEquals(2, early.verified().metadata().curation().archiveRuns());
        RebuildResult late = ReleaseRebuild.rebuild(dir.resolve("v3"), dir.resolve("v4"),
                new RebuildRequest(UUID.randomUUID(), "v3", List.of(), Set.of(), until, null), Progress.NONE);
        assertEquals(2, late.dropped().size());
        assertFalse(Files.exists(dir.resolve("v4").resolve(ArchiveFile.FILE_NAME)));
        assertTrue(late.verified().compacted(), "dropped for good: the span stays out");
    }

    @Test
    void verifyRefusesDetailUnderAMissingGistAndAnAlteredArchive() throws IOException {
        Path base = base();
        // Archiving only a gist would leave its tokens orphaned.
        assertThrows(CtxFormatException.class, () -> ReleaseRebuild.rebuild(base, dir.resolve("bad"),
                new RebuildRequest(UUID.randomUUID(), "1.0.0", List.of(new Removal(SpanId.of(1, 9), Action.ARCHIVE, 1,
                        9, 1)), Set.of(), NOW, null), Progress.NONE));

        ReleaseRebuild.rebuild(base, dir.resolve("v2"), new RebuildRequest(UUID.randomUUID(), "1.0.0",
                List.of(new Removal(SpanId.of(1, 9), Action.COMPACT, 0, 9 * 32, 32)), Set.of(), NOW, null), Progress.NONE);
        Path archive = dir.resolve("v2").resolve(ArchiveFile.FILE_NAME);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.seek(file.length() - 1);
            int last = file.read();
            file.seek(file.length() - 1);
            file.write(last ^ 1);
        }
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(dir.resolve("v2")));
        assertTrue(error.getMessage().contains("SHA-256"), error.getMessage());
        try (ArchiveFile opened = ArchiveFile.open(archive)) {
            assertThrows(CtxFormatException.class, () -> opened.read(0), "a restore never writes altered bytes");
        }
    }

    @Test
    void metadataNamesTheArchiveChecksumComputedBesideTheStructureCheck() throws IOException {
        Path base = base();
        Path v2 = dir.resolve("v2");
        RebuildResult curated = ReleaseRebuild.rebuild(base, v2, new RebuildRequest(UUID.randomUUID(), "1.0.0",
                List.of(new Removal(SpanId.of(1, 9), Action.COMPACT, 0, 9 * 32, 32)), Set.of(), NOW, null),
                Progress.NONE);
        String sha = BundleFiles.sha256(v2.resolve(ArchiveFile.FILE_NAME));
        BundleMetadata written = BundleMetadata.read(v2);
        assertEquals(sha, written.curation().archiveSha256());
        assertEquals(sha, curated.verified().archiveSha256());
        assertEquals(sha, BundleFiles.verify(v2).archiveSha256());

        // Only a rebuild's own, unwritten metadata may leave the checksum out: on disk the archive is refused.
        BundleMetadata.Curation c = written.curation();
        new BundleMetadata(written.version(), written.createdAt(), written.modelName(), written.embeddingDim(),
                written.blockSize(), written.levels(), written.gistnetCheckpoint(), written.ingestionComplete(),
                written.lastModified(), new BundleMetadata.Curation(c.baseVersion(), c.planId(), c.archiveRuns(),
                c.archiveSizeBytes(), null)).write(v2);
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verifyStructure(v2));
        assertTrue(error.getMessage().contains("not named"), error.getMessage());
    }

    @Test
    void truncatedCompactedFileIsRefused() throws IOException {
        Path base = base();
        ReleaseRebuild.rebuild(base, dir.resolve("v2"), new RebuildRequest(UUID.randomUUID(), "1.0.0",
                List.of(new Removal(SpanId.of(1, 9), Action.COMPACT, 0, 9 * 32, 32)), Set.of(), NOW, null), Progress.NONE);
        Path lod0 = dir.resolve("v2/LOD0.ctx");
        try (RandomAccessFile file = new RandomAccessFile(lod0.toFile(), "rw")) {
            file.setLength(file.length() - 4);
        }
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> CtxFile.open(lod0, 0));
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
    }

    private Path base() throws IOException {
        Path base = dir.resolve("base");
        new DemoBundleGenerator(TOKENS, 16, "demo", 3).writeTo(base);
        return base;
    }

    private static long baseLiveBytes(Path base) throws IOException {
        return payloadBytes(BundleFiles.verify(base));
    }

    private static long payloadBytes(BundleFiles.Verified verified) {
        return verified.levels().stream().mapToLong(l -> l.index().presentEntries() * l.header().entryBytes()).sum();
    }
}
