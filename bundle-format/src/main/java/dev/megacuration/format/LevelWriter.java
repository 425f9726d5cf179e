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
 * (version 2). Payload is appended in entry order through a large buffer, and the file's SHA-256 is
 * computed on the way (header and index first, as they lie in the file), so nothing is read back to
 * checksum it. The header is written last: a writer that dies midway leaves a file that
 * {@link CtxFile#open} refuses. Not forced to disk here: the release store forces every file before it
 * publishes a release.
 */
public final class LevelWriter implements AutoCloseable {
    private static final int BUFFER = 8 << 20;
    /** Hashes and writes full buffers while the caller fills the next one: two cores, two halves of the work. */
    private final java.util.concurrent.ExecutorService drain = java.util.concurrent.Executors.newSingleThreadExecutor(
            runnable -> {
                Thread thread = new Thread(runnable, "level-writer");
                thread.setDaemon(true);
                return thread;
            });
    private java.util.concurrent.Future<?> inFlight;
    private ByteBuffer spare = ByteBuffer.allocateDirect(BUFFER);
    private final FileChannel channel;
    private final CtxHeader header;
    private final long expectedBytes;
    private final MessageDigest digest;
    private ByteBuffer pending = ByteBuffer.allocateDirect(BUFFER);
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

    /** Appends bytes (entries in order, or the block index). */
    public void write(ByteBuffer bytes) throws IOException {
        written += bytes.remaining();
        while (bytes.hasRemaining()) {
            if (!pending.hasRemaining()) {
                flush();
            }
            int n = Math.min(pending.remaining(), bytes.remaining());
            pending.put(bytes.duplicate().limit(bytes.position() + n));
            bytes.position(bytes.position() + n);
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

    /** Hands the full buffer to the drain thread and goes on with the spare one. */
    private void flush() throws IOException {
        awaitInFlight();
        ByteBuffer full = pending.flip();
        inFlight = drain.submit(() -> {
            digest.update(full.duplicate());
            while (full.hasRemaining()) {
                channel.write(full);
            }
            return null;
        });
        pending = spare.clear();
        spare = full;
    }

    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            inFlight = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            awaitInFlight();
            if (complete) {
                ByteBuffer encoded = header.encode();
                while (encoded.hasRemaining()) {
                    channel.write(encoded, encoded.position());
                }
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
        } finally {
            drain.shutdownNow();
            channel.close();
        }
    }
}
