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

    /** {@code records}: how many runs will be appended; the table before the payload is sized by it. */
    public ArchiveWriter(Path path, ArchiveFile.Shape shape, int records) throws IOException {
        this.shape = shape;
        this.expectedRecords = records;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.position(ArchiveFile.HEADER_BYTES + (long) records * ArchiveFile.RECORD_BYTES);
    }

    /** Appends a run taken now from a live file; its checksum is computed from these very bytes. */
    public void append(ArchivedRun run, ByteBuffer bytes) throws IOException {
        if (bytes.remaining() != run.count() * shape.entryBytes(run.level())) {
            throw new IllegalArgumentException("run of " + run.count() + " entries with " + bytes.remaining()
                    + " bytes");
        }
        byte[] digest = ArchiveFile.sha256(bytes.duplicate());
        if (run.sha256() != null && !Arrays.equals(digest, run.sha256())) {
            throw new IllegalArgumentException("bytes do not match the run's SHA-256");
        }
        offsets.add(channel.position());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        written.add(run.withSha256(digest));
    }

    /** Carries record i of an older archive over unchanged. */
    public void carry(ArchiveFile from, int i) throws IOException {
        offsets.add(channel.position());
        from.copy(i, channel);
        written.add(from.runs().get(i));
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
            long position = ArchiveFile.HEADER_BYTES;
            for (int i = 0; i < written.size(); i++) {
                ByteBuffer record = ArchiveFile.encodeRecord(written.get(i), offsets.get(i));
                while (record.hasRemaining()) {
                    position += channel.write(record, position);
                }
            }
            ByteBuffer header = ArchiveFile.encodeHeader(shape, written.size());
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
