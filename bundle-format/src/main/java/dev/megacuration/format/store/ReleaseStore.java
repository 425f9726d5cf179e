package dev.megacuration.format.store;

import dev.megacuration.format.ArchiveFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where release files live. Releases are written once, completely or not at all, and never modified in
 * place. The directory store is the default; an object store can implement the same contract.
 */
public interface ReleaseStore {

    /** The files every release has. */
    List<String> FILES = List.of("LOD0.ctx", "LOD1.ctx", "LOD2.ctx", "metadata.json");

    /** Files a release may have: a curated release's archive (docs/ctx-format.md). */
    List<String> OPTIONAL_FILES = List.of(ArchiveFile.FILE_NAME);

    /**
     * Moves a verified release directory into the store under {@code key}. On success the directory is
     * consumed (moved when it is on the store's file system, else copied and deleted); on failure a staging
     * directory is removed and any other directory is left alone. Readers never see a half release; a
     * second put of the same key, concurrent or not, fails with {@link ReleaseExistsException}.
     */
    void put(ReleaseKey key, Path verifiedDir) throws IOException;

    boolean exists(ReleaseKey key);

    /** Whether a stored release has this (optional) file. */
    boolean has(ReleaseKey key, String file) throws IOException;

    /** Size in bytes of one file of a stored release. */
    long size(ReleaseKey key, String file) throws IOException;

    /** Reads one file from {@code offset} on (for resumable downloads). */
    InputStream open(ReleaseKey key, String file, long offset) throws IOException;

    /**
     * The file on this machine's disk, when the store keeps one there, so servers can send it without
     * copying it through the heap (zero-copy). Empty for remote stores: read with {@link #open} instead.
     */
    Optional<Path> localFile(ReleaseKey key, String file) throws IOException;

    /** A scratch directory on the store's own file system, so {@link #put} can be a rename. */
    Path newStagingDir() throws IOException;

    static void requireKnownFile(String file) {
        if (!FILES.contains(file) && !OPTIONAL_FILES.contains(file)) {
            throw new IllegalArgumentException("a release has no file " + file);
        }
    }
}
