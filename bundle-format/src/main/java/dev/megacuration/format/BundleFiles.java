package dev.megacuration.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Checks that a release directory is one consistent bundle: headers, sizes and metadata agree. */
public final class BundleFiles {
    private BundleFiles() {
    }

    /** One verified .ctx file. */
    public record LevelFile(int level, CtxHeader header, long sizeBytes, String sha256) {
    }

    /** A verified release directory. */
    public record Verified(BundleMetadata metadata, List<LevelFile> levels) {
        public long tokens() {
            return levels.get(0).header().numEntries();
        }
    }

    public static Verified verify(Path dir) throws IOException {
        BundleMetadata metadata;
        try {
            metadata = BundleMetadata.read(dir);
        } catch (NoSuchFileException e) {
            throw new CtxFormatException("missing " + BundleMetadata.FILE_NAME);
        }
        List<LevelFile> levels = new ArrayList<>();
        long expectedEntries = -1;
        for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
            Path file = dir.resolve(BundleMetadata.fileName(level));
            if (!Files.isRegularFile(file)) {
                throw new CtxFormatException("missing " + file.getFileName());
            }
            CtxHeader header;
            try (CtxFile ctx = CtxFile.open(file, level)) {
                header = ctx.header();
            }
            if (level > 0 && header.embeddingDim() != metadata.embeddingDim()) {
                throw new CtxFormatException(file.getFileName() + " has embedding_dim " + header.embeddingDim()
                        + ", metadata says " + metadata.embeddingDim());
            }
            // Only complete blocks get a gist: the newest, partial block stays LOD0 only.
            if (level > 0 && header.numEntries() != expectedEntries) {
                throw new CtxFormatException(file.getFileName() + " has " + header.numEntries()
                        + " entries, its lower level implies " + expectedEntries);
            }
            expectedEntries = header.numEntries() / CtxHeader.BLOCK_SIZE;
            BundleMetadata.Level declared = metadata.levels() == null ? null
                    : metadata.levels().get(BundleMetadata.levelName(level));
            long size = Files.size(file);
            if (declared == null || declared.entries() != header.numEntries() || declared.fileSizeBytes() != size) {
                throw new CtxFormatException("metadata.json disagrees with " + file.getFileName());
            }
            levels.add(new LevelFile(level, header, size, sha256(file)));
        }
        return new Verified(metadata, List.copyOf(levels));
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
