package dev.megacuration.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleFilesTest {
    @TempDir
    Path dir;

    @Test
    void generatedBundleVerifiesAndIsReproducible() throws IOException {
        BundleFiles.Verified first = new DemoBundleGenerator(70_000, 16, "demo-model", 7).writeTo(dir.resolve("a"));
        BundleFiles.Verified second = new DemoBundleGenerator(70_000, 16, "demo-model", 7).writeTo(dir.resolve("b"));

        assertEquals(70_000, first.tokens());
        assertEquals(70_000 / 32, first.levels().get(1).header().numEntries());
        assertEquals(70_000 / 32 / 32, first.levels().get(2).header().numEntries());
        assertEquals(64 + 70_000L * 4, first.levels().get(0).sizeBytes());
        assertEquals(64 + (70_000L / 32) * 16 * 2, first.levels().get(1).sizeBytes());
        for (int level = 0; level < 3; level++) {
            assertEquals(first.levels().get(level).sha256(), second.levels().get(level).sha256());
        }
        BundleFiles.Verified other = new DemoBundleGenerator(70_000, 16, "demo-model", 8).writeTo(dir.resolve("c"));
        assertNotEquals(first.levels().get(0).sha256(), other.levels().get(0).sha256());
    }

    @Test
    void tokensReadBackAtComputedOffsets() throws IOException {
        Path file = dir.resolve("LOD0.ctx");
        try (CtxWriter writer = new CtxWriter(file, 0, 0, DType.UINT32, "m")) {
            for (int i = 0; i < 100_000; i++) {
                writer.writeToken(i * 3);
            }
        }
        try (CtxFile ctx = CtxFile.open(file, 0)) {
            assertEquals(100_000, ctx.header().numEntries());
            assertEquals("m", ctx.header().modelName());
            assertEquals(0, ctx.token(0));
            assertEquals(99_999L * 3, ctx.token(99_999));
            assertThrows(IndexOutOfBoundsException.class, () -> ctx.token(100_000));
        }
    }

    @Test
    void refusesBadMagic() throws IOException {
        Path bundle = demo();
        patch(bundle.resolve("LOD0.ctx"), 0, buffer -> buffer.putInt(0x12345678));
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
        assertTrue(error.getMessage().contains("bad magic"), error.getMessage());
    }

    @Test
    void refusesWrongLevel() throws IOException {
        Path bundle = demo();
        patch(bundle.resolve("LOD1.ctx"), 6, buffer -> buffer.putShort((short) 2));
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
        assertTrue(error.getMessage().contains("expected 1"), error.getMessage());
    }

    @Test
    void refusesTruncatedPayload() throws IOException {
        Path bundle = demo();
        try (RandomAccessFile file = new RandomAccessFile(bundle.resolve("LOD0.ctx").toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
    }

    @Test
    void refusesAbsurdEntryCountWithoutAllocating() throws IOException {
        Path bundle = demo();
        patch(bundle.resolve("LOD1.ctx"), 14, buffer -> buffer.putLong(Long.MAX_VALUE / 2));
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
        assertTrue(error.getMessage().contains("absurd"), error.getMessage());
    }

    @Test
    void refusesMetadataThatDisagreesWithFiles() throws IOException {
        Path bundle = demo();
        String json = Files.readString(bundle.resolve("metadata.json")).replace("\"num_tokens\" : 40000",
                "\"num_tokens\" : 40001");
        Files.writeString(bundle.resolve("metadata.json"), json);
        CtxFormatException error = assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
        assertTrue(error.getMessage().contains("disagrees"), error.getMessage());
    }

    @Test
    void refusesHeaderShorterThan64Bytes() throws IOException {
        Path bundle = demo();
        Files.write(bundle.resolve("LOD2.ctx"), new byte[10]);
        assertThrows(CtxFormatException.class, () -> BundleFiles.verify(bundle));
    }

    @Test
    void spanIdsPackLevelAndIndex() {
        long id = SpanId.of(2, 5);
        assertEquals(2, SpanId.level(id));
        assertEquals(5, SpanId.index(id));
        assertEquals(5 * 1024, SpanId.firstToken(id));
        assertEquals((2L << 56) | 5, id);
        assertTrue(SpanId.isValid(id));
        assertTrue(!SpanId.isValid(3L << 56));
    }

    private Path demo() throws IOException {
        Path bundle = dir.resolve("bundle");
        new DemoBundleGenerator(40_000, 8, "demo", 1).writeTo(bundle);
        return bundle;
    }

    private interface Patch {
        void apply(ByteBuffer buffer);
    }

    private static void patch(Path file, int offset, Patch patch) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(offset);
        patch.apply(buffer);
        Files.write(file, bytes);
    }
}
