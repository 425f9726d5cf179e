package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes one level of a rebuilt release whose present entries are known up front: dense (version 1) when
 * the index covers every entry, so untouched levels stay readable by version-1 readers, else compacted
 * (version 2). Payload is appended in entry order as slices (of the mapped source, mostly, so nothing is
 * copied in user space), gathered into batches of up to 8 MB that one thread hashes while a second hands
 * it to the kernel in one gathering write, and the caller gathers the next. The file's SHA-256 is computed on the
 * way (header and index first, as they lie in the file), so nothing is read back to checksum it. The header is written last: a writer that dies midway leaves a file that
 * {@link CtxFile#open} refuses. Its pages go to disk while it is written: every 8 MB a third thread starts
 * the file's writeback ({@code fdatasync}), so the disk writes while the CPU hashes the next batches, and
 * {@link #close} forces what is left. The release store's own force before it publishes then finds the
 * file already on disk (it was 190-250 ms of a 1M-span rebuild, after all the hashing; see
 * deploy/bench/curation-results.md).
 */
public final class LevelWriter implements AutoCloseable {
    /** Bytes handed to the kernel per batch: one gathering write of up to 1,024 slices. */
    private static final int BATCH_BYTES = 8 << 20;
    private static final int BATCH_SLICES = 1024;
    /**
     * Hash a full batch and write it, each on its own thread, while the caller gathers the next one: SHA-256
     * is sequential, so hashing takes one core whole, and the copy into the page cache runs beside it
     * instead of after it.
     */
    private final java.util.concurrent.ExecutorService hasher = Background.thread("level-hasher");
    private final java.util.concurrent.ExecutorService drain = Background.thread("level-writer");
    private java.util.concurrent.Future<?> hashing;
    private java.util.concurrent.Future<?> inFlight;
    /** Bytes written between two writebacks. */
    private static final long WRITEBACK_EVERY = 8L << 20;
    private final java.util.concurrent.ExecutorService writeback = Background.thread("level-writeback");
    /** Touched by the drain thread only (and by close, once the drain is idle). */
    private java.util.concurrent.Future<?> writebackInFlight;
    private long sinceWriteback;
    private final FileChannel channel;
    private final CtxHeader header;
    private final long expectedBytes;
    private final MessageDigest digest;
    private java.util.List<ByteBuffer> batch = new java.util.ArrayList<>();
    private long batchBytes;
    private long written;
    private boolean complete;
    private String sha256;

    public LevelWriter(Path path, CtxHeader template, BlockIndex index) throws IOException {
        if (index.numEntries() != template.numEntries()) {
            throw new IllegalArgumentException("index of " + index.numEntries() + " entries for a level of "
                    + template.numEntries());
        }
        this.header = index.isDense()
                ? new CtxHeader(CtxHeader.DENSE_VERSION, template.level(), template.blockSize(),
                template.embeddingDim(), template.dtype(), template.numEntries(), template.modelName())
                : new CtxHeader(CtxHeader.COMPACT_VERSION, template.level(), template.blockSize(),
                template.embeddingDim(), template.dtype(), template.numEntries(), template.modelName(),
                index.runCount());
        this.expectedBytes = header.fileSize(index.presentEntries());
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        digest.update(header.encode());
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.position(CtxHeader.SIZE);
        written = CtxHeader.SIZE;
        if (header.isCompacted()) {
            write(index.encode());
        }
    }

    public CtxHeader header() {
        return header;
    }

    /** Appends bytes (entries in order, or the block index), copied: the caller may reuse its buffer. */
    public void write(ByteBuffer bytes) throws IOException {
        writeStable(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip());
    }

    /**
     * Appends bytes without copying them, and takes the buffer (a fresh slice of a mapped source, typically):
     * its contents must stay unchanged until this writer is closed, and its position is this writer's.
     */
    public void writeStable(ByteBuffer bytes) throws IOException {
        written += bytes.remaining();
        batch.add(bytes);
        batchBytes += bytes.remaining();
        if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_SLICES) {
            flush();
        }
    }

    /** Marks the payload finished: close then writes the header; without this it leaves the file invalid. */
    public void finish() throws IOException {
        if (written != expectedBytes) {
            throw new IllegalStateException("LOD" + header.level() + " payload is " + written
                    + " bytes, its index needs " + expectedBytes);
        }
        complete = true;
    }

    /** The file's SHA-256, once closed after {@link #finish()}. */
    public String sha256() {
        return sha256;
    }

    /**
     * Hands the batch to the hasher and to the drain thread (one gathering write), which read it side by
     * side through their own views, and starts the next one.
     */
    private void flush() throws IOException {
        awaitInFlight();
        if (batch.isEmpty()) {
            return;
        }
        ByteBuffer[] slices = batch.toArray(ByteBuffer[]::new);
        ByteBuffer[] toHash = new ByteBuffer[slices.length];
        for (int i = 0; i < slices.length; i++) {
            toHash[i] = slices[i].duplicate();
        }
        long bytes = batchBytes;
        batch = new java.util.ArrayList<>();
        batchBytes = 0;
        hashing = hasher.submit(() -> {
            for (ByteBuffer slice : toHash) {
                digest.update(slice);
            }
            return null;
        });
        inFlight = drain.submit(() -> {
            long left = bytes;
            while (left > 0) {
                left -= channel.write(slices);
            }
            sinceWriteback += bytes;
            if (sinceWriteback >= WRITEBACK_EVERY && (writebackInFlight == null || writebackInFlight.isDone())) {
                sinceWriteback = 0;
                writebackInFlight = writeback.submit(() -> {
                    channel.force(false);
                    return null;
                });
            }
            return null;
        });
    }

    /** Waits for a started writeback; its failure is this writer's. */
    private void awaitWriteback() throws IOException {
        java.util.concurrent.Future<?> started = writebackInFlight;
        writebackInFlight = null;
        Background.await(started, "writing back");
    }

    private void awaitInFlight() throws IOException {
        try {
            Background.await(inFlight, "writing");
            Background.await(hashing, "hashing");
        } finally {
            inFlight = null;
            hashing = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            awaitInFlight();
            awaitWriteback();
            if (complete) {
                ByteBuffer encoded = header.encode();
                while (encoded.hasRemaining()) {
                    channel.write(encoded, encoded.position());
                }
                channel.force(false);
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
        } finally {
            drain.shutdownNow();
            hasher.shutdownNow();
            try {
                awaitWriteback(); // a failed pass may have left one running: the channel outlives it
            } catch (IOException ignored) {
                // the pass's own failure is the one that counts
            } finally {
                writeback.shutdownNow();
                channel.close();
            }
        }
    }
}
