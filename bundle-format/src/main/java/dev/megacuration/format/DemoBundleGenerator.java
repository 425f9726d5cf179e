package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic, reproducible bundle release: Zipf-like token ids at LOD0 and fp16 gists at LOD1/LOD2
 * (one per complete 32-block below). Same seed, same bytes, so tests and demo data can rely on it.
 */
public final class DemoBundleGenerator {
    private static final int VOCABULARY = 50_257;

    private final long tokens;
    private final int embeddingDim;
    private final String modelName;
    private final long seed;

    public DemoBundleGenerator(long tokens, int embeddingDim, String modelName, long seed) {
        if (tokens < 0 || embeddingDim <= 0 || embeddingDim > 65_535) {
            throw new IllegalArgumentException("need tokens >= 0 and 0 < embeddingDim <= 65535");
        }
        this.tokens = tokens;
        this.embeddingDim = embeddingDim;
        this.modelName = modelName;
        this.seed = seed;
    }

    public BundleFiles.Verified writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        try (CtxWriter lod0 = new CtxWriter(dir.resolve(BundleMetadata.fileName(0)), 0, 0, DType.UINT32, modelName)) {
            for (long n = 0; n < tokens; n++) {
                lod0.writeToken(zipfToken(random));
            }
        }
        long gists = tokens;
        for (int level = 1; level <= CtxHeader.MAX_LEVEL; level++) {
            gists /= CtxHeader.BLOCK_SIZE;
            try (CtxWriter writer = new CtxWriter(dir.resolve(BundleMetadata.fileName(level)), level, embeddingDim,
                    DType.FP16, modelName)) {
                for (long n = 0; n < gists; n++) {
                    writer.writeEntry(randomGist(random));
                }
            }
        }
        writeMetadata(dir);
        return BundleFiles.verify(dir);
    }

    private void writeMetadata(Path dir) throws IOException {
        String now = Instant.now().toString();
        Map<String, BundleMetadata.Level> levels = new LinkedHashMap<>();
        long entries = tokens;
        for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
            long size = Files.size(dir.resolve(BundleMetadata.fileName(level)));
            levels.put(BundleMetadata.levelName(level), level == 0
                    ? new BundleMetadata.Level(tokens / CtxHeader.BLOCK_SIZE, tokens, null, size)
                    : new BundleMetadata.Level(null, null, entries, size));
            entries /= CtxHeader.BLOCK_SIZE;
        }
        new BundleMetadata(1, now, modelName, embeddingDim, CtxHeader.BLOCK_SIZE, levels, "demo-gistnet",
                true, now).write(dir);
    }

    /** Zipf-like: small ids are common, as in real token streams. */
    private static int zipfToken(SplittableRandom random) {
        double u = random.nextDouble();
        return (int) Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, u)) - 1);
    }

    private byte[] randomGist(SplittableRandom random) {
        ByteBuffer buffer = ByteBuffer.allocate(embeddingDim * DType.FP16.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < embeddingDim; i++) {
            buffer.putShort(Fp16.fromFloat((float) random.nextGaussian()));
        }
        return buffer.array();
    }
}
