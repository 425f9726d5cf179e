package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an archive file: runs are appended (fresh bytes from a live file, or carried over from the
 * previous release's archive), then close writes the record table and the header, so an unfinished
 * archive has no valid header and is refused.
 */
public final class ArchiveWriter implements AutoCloseable {
    private final FileChannel channel;
    private final ArchiveFile.Shape shape;
    private final int expectedRecords;
    private final List<ArchivedRun> written = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();
    /** Small runs are gathered here: one write per megabyte, not one system call per run. */
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
    private long position;
    private final java.security.MessageDigest sha;

    /** {@code records}: how many runs will be appended; the table before the payload is sized by it. */
    public ArchiveWriter(Path path, ArchiveFile.Shape shape, int records) throws IOException {
        this.shape = shape;
        this.expectedRecords = records;
        try {
            this.sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.position = ArchiveFile.HEADER_BYTES + (long) records * ArchiveFile.RECORD_BYTES;
        channel.position(position);
    }

    /** Appends a run taken now from a live file; its checksum is computed from these very bytes. */
    public void append(ArchivedRun run, ByteBuffer bytes) throws IOException {
        if (bytes.remaining() != run.count() * shape.entryBytes(run.level())) {
            throw new IllegalArgumentException("run of " + run.count() + " entries with " + bytes.remaining()
                    + " bytes");
        }
        sha.reset();
        sha.update(bytes.duplicate());
        byte[] digest = sha.digest();
        if (run.sha256() != null && !Arrays.equals(digest, run.sha256())) {
            throw new IllegalArgumentException("bytes do not match the run's SHA-256");
        }
        offsets.add(position);
        position += bytes.remaining();
        if (bytes.remaining() > pending.remaining()) {
            flushPending();
        }
        if (bytes.remaining() > pending.capacity()) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } else {
            pending.put(bytes);
        }
        written.add(run.withSha256(digest));
    }

    /** Carries record i of an older archive over unchanged. */
    public void carry(ArchiveFile from, int i) throws IOException {
        flushPending();
        offsets.add(position);
        from.copy(i, channel);
        ArchivedRun run = from.runs().get(i);
        position += run.count() * shape.entryBytes(run.level());
        written.add(run);
    }

    private void flushPending() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }

    public List<ArchivedRun> written() {
        return List.copyOf(written);
    }

    @Override
    public void close() throws IOException {
        try {
            if (written.size() != expectedRecords) {
                return; // unfinished: no header, so nothing will ever read it as an archive
            }
            flushPending();
            // One buffer for the whole record table: one write, not one per record.
            ByteBuffer table = ByteBuffer.allocate(written.size() * ArchiveFile.RECORD_BYTES);
            for (int i = 0; i < written.size(); i++) {
                table.put(ArchiveFile.encodeRecord(written.get(i), offsets.get(i)));
            }
            table.flip();
            long at = ArchiveFile.HEADER_BYTES;
            while (table.hasRemaining()) {
                at += channel.write(table, at);
            }
            // Header last, so a crash before this line leaves a file no reader accepts. Not forced here:
            // the release store forces every file before it publishes a release (DirectoryReleaseStore.put).
            ByteBuffer header = ArchiveFile.encodeHeader(shape, written.size());
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
        } finally {
            channel.close();
        }
    }
}
