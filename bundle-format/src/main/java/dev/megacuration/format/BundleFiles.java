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

    /** One verified .ctx file; {@code index} says which entries it holds (all, unless compacted). */
    public record LevelFile(int level, CtxHeader header, long sizeBytes, String sha256, BlockIndex index) {
    }

    /** A verified release directory; {@code archiveSha256} is null when it has no archive file. */
    public record Verified(BundleMetadata metadata, List<LevelFile> levels, String archiveSha256) {
        public long tokens() {
            return levels.get(0).header().numEntries();
        }

        public boolean compacted() {
            return levels.stream().anyMatch(l -> l.header().isCompacted());
        }

        /**
         * The state of an LOD1 or LOD2 span in this release, as the span index and the audit log name it:
         * {@code archived} without its gist, {@code compacted} with its gist but none of its detail (the 32
         * entries below it), else {@code present}.
         */
        public String spanState(int level, long index) {
            if (!levels.get(level).index().isPresent(index)) {
                return "archived";
            }
            return levels.get(level - 1).index().isAbsent(index * CtxHeader.BLOCK_SIZE, CtxHeader.BLOCK_SIZE)
                    ? "compacted" : "present";
        }
    }

    public static Verified verify(Path dir) throws IOException {
        return verify(dir, true);
    }

    /**
     * Headers, block indexes, sizes, metadata and the tree invariant, without hashing any file (the level
     * files' {@code sha256} is null; the archive's is the one metadata.json declares): for a release whose
     * checksums were already checked, as a rebuild's base is when it is downloaded, and a rebuild's output,
     * whose checksums were computed from the bytes it wrote.
     */
    public static Verified verifyStructure(Path dir) throws IOException {
        return verify(dir, false);
    }

    /**
     * The structure check of {@link #verifyStructure(Path)}, against metadata that is not written yet: a
     * rebuild checks its files while the archive's SHA-256 is still being computed, then writes the
     * metadata. The archive's SHA-256 may be missing from it; the release store checks it on arrival.
     */
    public static Verified verifyStructure(Path dir, BundleMetadata metadata) throws IOException {
        return verify(dir, metadata, false, true);
    }

    private static Verified verify(Path dir, boolean hash) throws IOException {
        BundleMetadata metadata;
        try {
            metadata = BundleMetadata.read(dir);
        } catch (NoSuchFileException e) {
            throw new CtxFormatException("missing " + BundleMetadata.FILE_NAME);
        }
        return verify(dir, metadata, hash, false);
    }

    /** {@code archiveShaPending}: metadata not written yet, whose archive's SHA-256 is still being computed. */
    private static Verified verify(Path dir, BundleMetadata metadata, boolean hash, boolean archiveShaPending)
            throws IOException {
        List<LevelFile> levels = verifyLevels(dir, metadata, hash);
        return new Verified(metadata, List.copyOf(levels), verifyArchive(dir, metadata, levels, hash,
                archiveShaPending));
    }

    private static List<LevelFile> verifyLevels(Path dir, BundleMetadata metadata, boolean hash) throws IOException {
        List<LevelFile> levels = new ArrayList<>();
        long expectedEntries = -1;
        for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
            Path file = dir.resolve(BundleMetadata.fileName(level));
            if (!Files.isRegularFile(file)) {
                throw new CtxFormatException("missing " + file.getFileName());
            }
            CtxHeader header;
            BlockIndex index;
            try (CtxFile ctx = CtxFile.open(file, level)) {
                header = ctx.header();
                index = ctx.index();
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
            if (declared == null || declared.entries() != header.numEntries() || declared.fileSizeBytes() != size
                    || declared.presentEntries() != null && declared.presentEntries() != index.presentEntries()) {
                throw new CtxFormatException("metadata.json disagrees with " + file.getFileName());
            }
            if (level > 0) {
                requireGistAboveDetail(levels.get(level - 1).index(), index, level);
            }
            levels.add(new LevelFile(level, header, size, hash ? sha256(file) : null, index));
        }
        return levels;
    }

    /**
     * The tree invariant of a compacted release: detail is only kept under a kept gist. Every present
     * entry below must have its gist present, or a reader would find tokens no summary leads to.
     */
    private static void requireGistAboveDetail(BlockIndex below, BlockIndex gists, int level) throws CtxFormatException {
        if (gists.isDense()) {
            return;
        }
        for (BlockIndex.Run run : below.runs()) {
            long firstGist = run.first() / CtxHeader.BLOCK_SIZE;
            long lastGist = Math.min((run.end() - 1) / CtxHeader.BLOCK_SIZE, gists.numEntries() - 1);
            if (lastGist >= firstGist && !gists.isPresent(firstGist, lastGist - firstGist + 1)) {
                throw new CtxFormatException("LOD" + (level - 1) + " keeps entries under an LOD" + level
                        + " gist it does not keep (near entry " + run.first() + ")");
            }
        }
    }

    private static String verifyArchive(Path dir, BundleMetadata metadata, List<LevelFile> levels, boolean hash,
                                        boolean shaPending) throws IOException {
        Path file = dir.resolve(ArchiveFile.FILE_NAME);
        BundleMetadata.Curation curation = metadata.curation();
        boolean declared = curation != null
                && (curation.archiveSha256() != null || shaPending && curation.archiveRuns() > 0);
        if (!Files.isRegularFile(file)) {
            if (declared) {
                throw new CtxFormatException("metadata.json names an archive, but " + ArchiveFile.FILE_NAME
                        + " is missing");
            }
            return null;
        }
        if (!declared) {
            throw new CtxFormatException(ArchiveFile.FILE_NAME + " is not named in metadata.json");
        }
        try (ArchiveFile archive = ArchiveFile.open(file)) {
            if (archive.runs().size() != curation.archiveRuns() || Files.size(file) != curation.archiveSizeBytes()) {
                throw new CtxFormatException("metadata.json disagrees with " + ArchiveFile.FILE_NAME);
            }
            for (ArchivedRun run : archive.runs()) {
                if (levels.get(run.level()).index().isPresent(run.first()) || run.first() + run.count()
                        > levels.get(run.level()).header().numEntries()) {
                    throw new CtxFormatException(ArchiveFile.FILE_NAME + " holds L" + run.level() + " entry "
                            + run.first() + ", which is live or outside the release");
                }
            }
        }
        if (!hash) {
            return curation.archiveSha256();
        }
        String sha = sha256(file);
        if (!sha.equals(curation.archiveSha256())) {
            throw new CtxFormatException(ArchiveFile.FILE_NAME + " does not match its SHA-256 in metadata.json");
        }
        return sha;
    }

    /** A structurally verified release with the level checksums its writer computed. */
    public static Verified withChecksums(Verified structure, List<String> sha256) {
        List<LevelFile> levels = new ArrayList<>();
        for (LevelFile level : structure.levels()) {
            levels.add(new LevelFile(level.level(), level.header(), level.sizeBytes(), sha256.get(level.level()),
                    level.index()));
        }
        return new Verified(structure.metadata(), List.copyOf(levels), structure.archiveSha256());
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
