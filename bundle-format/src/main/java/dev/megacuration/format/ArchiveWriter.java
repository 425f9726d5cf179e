package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes an archive file whose records are all known up front (a rebuild knows every run it will archive
 * before it reads a byte), so each record's offset is fixed before anything is written. That lets several
 * threads fill it at once: carried records are copied in by the kernel, and each level of a rebuild
 * appends its own runs through a {@link Region}, sequentially, at their own offsets. Close writes the
 * record table and then the header, and only when every record was filled: an unfinished archive has no
 * valid header and is refused.
 */
public final class ArchiveWriter implements AutoCloseable {
    private final FileChannel channel;
    private final ArchiveFile.Shape shape;
    private final List<ArchivedRun> runs;
    private final long[] offsets;
    private final byte[][] sha256;
    private final AtomicInteger filled = new AtomicInteger();

    /** {@code runs}: every record, in file order; a run's checksum may be given (carried) or computed here. */
    public ArchiveWriter(Path path, ArchiveFile.Shape shape, List<ArchivedRun> runs) throws IOException {
        this.shape = shape;
        this.runs = List.copyOf(runs);
        this.offsets = new long[runs.size()];
        this.sha256 = new byte[runs.size()][];
        long position = ArchiveFile.HEADER_BYTES + (long) runs.size() * ArchiveFile.RECORD_BYTES;
        for (int i = 0; i < runs.size(); i++) {
            offsets[i] = position;
            position += bytes(runs.get(i));
        }
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /**
     * Carries records {@code from[0..]} of an older archive over unchanged (their checksums travel with
     * them) as records {@code first, first + 1, ...} here; neighbouring records are copied in one go.
     */
    public void carry(ArchiveFile source, int[] from, int first) throws IOException {
        int i = 0;
        while (i < from.length) {
            int j = i + 1;
            while (j < from.length && source.offset(from[j]) == source.offset(from[j - 1]) + bytes(source.runs().get(from[j - 1]))) {
                j++;
            }
            long length = source.offset(from[j - 1]) + bytes(source.runs().get(from[j - 1])) - source.offset(from[i]);
            source.copyTo(source.offset(from[i]), length, channel, offsets[first + i]);
            for (int k = i; k < j; k++) {
                sha256[first + k] = source.runs().get(from[k]).sha256();
            }
            filled.addAndGet(j - i);
            i = j;
        }
    }

    /** Sequential appends of records {@code first, first + 1, ...}, for one thread. */
    public Region region(int first) {
        return new Region(first);
    }

    /**
     * Appends runs in record order from one thread, gathering small ones so a megabyte goes out per system
     * call. Each run's SHA-256 is computed from the very bytes written, on a thread of the region's own:
     * archived runs are small (a span's 32 tokens or one gist), so hashing them one by one costs as much as
     * hashing a tenth of the release, and the appending thread is the level pass's, which has its own work.
     */
    public final class Region implements AutoCloseable {
        /** Runs handed to the hashing thread at once. */
        private static final int HASH_BATCH = 4096;
        private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
        private final java.util.concurrent.ExecutorService hasher = Background.thread("archive-hasher");
        private final MessageDigest digest = sha256Digest(); // the hashing thread's
        private final List<java.util.concurrent.Future<?>> hashed = new java.util.ArrayList<>();
        private List<ByteBuffer> toHash = new java.util.ArrayList<>();
        private int toHashFirst;
        private int next;
        private int unflushed;
        private long pendingAt;

        private Region(int first) {
            this.next = first;
            this.toHashFirst = first;
            this.pendingAt = first < offsets.length ? offsets[first] : 0;
        }

        /**
         * Appends the next run, and takes the buffer (a fresh slice, typically): its contents must stay
         * unchanged until this region is closed, and its position is the region's.
         */
        public void append(ByteBuffer bytes) throws IOException {
            ArchivedRun run = runs.get(next);
            int length = bytes.remaining();
            if (length != bytes(run)) {
                throw new IllegalArgumentException("run of " + run.count() + " entries with " + length + " bytes");
            }
            if (length > pending.remaining()) {
                flush();
            }
            if (length > pending.capacity()) {
                writeFully(bytes.duplicate(), offsets[next]);
                pendingAt = offsets[next] + length;
                filled.incrementAndGet();
            } else {
                pending.put(pending.position(), bytes, bytes.position(), length); // absolute: hashing reads it too
                pending.position(pending.position() + length);
                unflushed++;
            }
            next++;
            toHash.add(bytes); // last: from here on the hashing thread moves its position
            if (toHash.size() == HASH_BATCH) {
                hashPending();
            }
        }

        private void hashPending() {
            List<ByteBuffer> batch = toHash;
            int first = toHashFirst;
            toHash = new java.util.ArrayList<>(HASH_BATCH);
            toHashFirst += batch.size();
            hashed.add(hasher.submit(() -> {
                for (int k = 0; k < batch.size(); k++) {
                    digest.update(batch.get(k));
                    byte[] computed = digest.digest();
                    byte[] given = runs.get(first + k).sha256();
                    if (given != null && !Arrays.equals(computed, given)) {
                        throw new IllegalArgumentException("bytes do not match the run's SHA-256");
                    }
                    sha256[first + k] = computed;
                }
                return null;
            }));
        }

        private void flush() throws IOException {
            pending.flip();
            long at = pendingAt;
            pendingAt += pending.remaining();
            writeFully(pending, at);
            pending.clear();
            filled.addAndGet(unflushed); // a record counts once its bytes are written
            unflushed = 0;
        }

        /** Stops the hashing thread of a region that will not be closed (its level pass failed). */
        public void abandon() {
            hasher.shutdownNow();
        }

        /** Writes what is gathered and waits for the checksums: the archive's table needs them. */
        @Override
        public void close() throws IOException {
            try {
                flush();
                hashPending();
                for (java.util.concurrent.Future<?> batch : hashed) {
                    Background.await(batch, "hashing archived runs");
                }
            } finally {
                hasher.shutdownNow();
            }
        }
    }

    /** Every record, with the checksums filled in (valid once every record was written). */
    public List<ArchivedRun> written() {
        return java.util.stream.IntStream.range(0, runs.size())
                .mapToObj(i -> runs.get(i).withSha256(sha256[i])).toList();
    }

    private long bytes(ArchivedRun run) {
        return run.count() * shape.entryBytes(run.level());
    }

    private void writeFully(ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (filled.get() != runs.size()) {
                return; // unfinished: no header, so nothing will ever read it as an archive
            }
            // The record table a megabyte per write, through one buffer (not a buffer per record, nor one the
            // size of a table of a hundred thousand records).
            ByteBuffer table = ByteBuffer.allocate(ArchiveFile.TABLE_CHUNK_RECORDS * ArchiveFile.RECORD_BYTES)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long at = ArchiveFile.HEADER_BYTES;
            for (int i = 0; i < runs.size(); i++) {
                ArchiveFile.encodeRecord(table, runs.get(i), sha256[i], offsets[i]);
                if (!table.hasRemaining() || i == runs.size() - 1) {
                    table.flip();
                    int bytes = table.remaining();
                    writeFully(table, at);
                    at += bytes;
                    table.clear();
                }
            }
            // Header last, so a crash before this line leaves a file no reader accepts. Not forced here:
            // the release store forces every file before it publishes a release (DirectoryReleaseStore.put).
            writeFully(ArchiveFile.encodeHeader(shape, runs.size()), 0);
        } finally {
            channel.close();
        }
    }
}
