package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The archive file of a curated release ({@code archive.mcar}, docs/ctx-format.md): every run of entries
 * that curation took out of the live files, with where it came from and its SHA-256, so a restore puts
 * back the exact bytes. Layout: a 64-byte header, a table of 96-byte records, then the runs' bytes in
 * record order.
 */
public final class ArchiveFile implements AutoCloseable {
    public static final String FILE_NAME = "archive.mcar";
    public static final int MAGIC = 0x4D434152; // "MCAR"
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 64;
    public static final int RECORD_BYTES = 96;
    /** Records read or written per piece of the table: about a megabyte. */
    static final int TABLE_CHUNK_RECORDS = (1 << 20) / RECORD_BYTES;
    private static final int MODEL_NAME_BYTES = 32;

    /** What the archive needs to size the entries of each level. */
    public record Shape(int embeddingDim, DType gistType, String modelName) {
        public int entryBytes(int level) {
            return level == 0 ? DType.UINT32.bytes() : embeddingDim * gistType.bytes();
        }
    }

    private final FileChannel channel;
    private final Shape shape;
    private final List<ArchivedRun> runs;
    private final long[] offsets;

    private ArchiveFile(FileChannel channel, Shape shape, List<ArchivedRun> runs, long[] offsets) {
        this.channel = channel;
        this.shape = shape;
        this.runs = runs;
        this.offsets = offsets;
    }

    public static ArchiveFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new CtxFormatException(FILE_NAME + " is shorter than its header");
            }
            ByteBuffer header = read(channel, 0, HEADER_BYTES);
            if (header.getInt() != MAGIC) {
                throw new CtxFormatException(FILE_NAME + " has a bad magic");
            }
            int version = Short.toUnsignedInt(header.getShort());
            if (version != VERSION) {
                throw new CtxFormatException(FILE_NAME + " has unsupported version " + version);
            }
            int dim = Short.toUnsignedInt(header.getShort());
            DType gistType = DType.fromCode(Short.toUnsignedInt(header.getShort()));
            header.getShort();
            long records = Integer.toUnsignedLong(header.getInt());
            byte[] name = new byte[MODEL_NAME_BYTES];
            header.get(name);
            Shape shape = new Shape(dim, gistType, trimNul(name));
            long tableEnd = HEADER_BYTES + records * RECORD_BYTES;
            if (tableEnd > size) {
                throw new CtxFormatException(FILE_NAME + " is " + size + " bytes, shorter than its " + records
                        + "-record table");
            }
            ByteBuffer table = ByteBuffer.allocate((int) Math.min(records, TABLE_CHUNK_RECORDS) * RECORD_BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).limit(0);
            long tableAt = HEADER_BYTES;
            List<ArchivedRun> runs = new ArrayList<>((int) records);
            long[] offsets = new long[(int) records];
            long expectedOffset = tableEnd;
            UUID lastPlan = null;
            for (int i = 0; i < records; i++) {
                if (!table.hasRemaining()) { // the next piece of the table
                    table.clear().limit((int) Math.min(records - i, TABLE_CHUNK_RECORDS) * RECORD_BYTES);
                    readFully(channel, table, tableAt);
                    tableAt += table.limit();
                    table.flip();
                }
                int level = Short.toUnsignedInt(table.getShort());
                ArchivedRun.Action action = ArchivedRun.Action.fromCode(Short.toUnsignedInt(table.getShort()));
                table.getInt();
                long spanId = table.getLong();
                long first = table.getLong();
                long count = table.getLong();
                long offset = table.getLong();
                long deleteAfter = table.getLong();
                long planHigh = table.getLong();
                long planLow = table.getLong();
                // A plan archives many runs: neighbouring records share one UUID object.
                UUID plan = lastPlan != null && lastPlan.getMostSignificantBits() == planHigh
                        && lastPlan.getLeastSignificantBits() == planLow ? lastPlan : new UUID(planHigh, planLow);
                lastPlan = plan;
                byte[] sha = new byte[32];
                table.get(sha);
                if (level > CtxHeader.MAX_LEVEL || first < 0 || count <= 0
                        || count > (size - expectedOffset) / shape.entryBytes(level)) {
                    throw new CtxFormatException(FILE_NAME + " record " + i + " is out of bounds");
                }
                if (offset != expectedOffset) {
                    throw new CtxFormatException(FILE_NAME + " record " + i + " says offset " + offset + ", expected "
                            + expectedOffset);
                }
                runs.add(new ArchivedRun(level, action, spanId, first, count,
                        deleteAfter == 0 ? null : Instant.ofEpochSecond(deleteAfter), plan, sha));
                offsets[i] = offset;
                expectedOffset += count * shape.entryBytes(level);
            }
            if (expectedOffset != size) {
                throw new CtxFormatException(FILE_NAME + " is " + size + " bytes, its records imply " + expectedOffset);
            }
            return new ArchiveFile(channel, shape, List.copyOf(runs), offsets);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Shape shape() {
        return shape;
    }

    public List<ArchivedRun> runs() {
        return runs;
    }

    /** The bytes of record i, checked against its SHA-256: a restore never writes back altered bytes. */
    public ByteBuffer read(int i) throws IOException {
        ArchivedRun run = runs.get(i);
        ByteBuffer bytes = read(channel, offsets[i], Math.toIntExact(run.count() * shape.entryBytes(run.level())));
        if (!Arrays.equals(sha256(bytes.duplicate()), run.sha256())) {
            throw new CtxFormatException(FILE_NAME + " record " + i + " (" + SpanId.describe(run.spanId())
                    + ") does not match its SHA-256");
        }
        return bytes;
    }

    /** Where record i's bytes start in this file. */
    long offset(int i) {
        return offsets[i];
    }

    /**
     * Copies {@code length} bytes from {@code offset} here to {@code at} in another file, in the kernel
     * (records carried over unchanged: their checksums travel with them). Moves the target's position, so
     * one thread at a time copies into a given target; positional writes of others are unaffected.
     */
    void copyTo(long offset, long length, FileChannel target, long at) throws IOException {
        target.position(at);
        long position = offset;
        long remaining = length;
        while (remaining > 0) {
            long sent = channel.transferTo(position, remaining, target);
            if (sent <= 0) {
                throw new CtxFormatException("unexpected end of " + FILE_NAME);
            }
            position += sent;
            remaining -= sent;
        }
    }

    static byte[] sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static ByteBuffer encodeHeader(Shape shape, int records) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short) VERSION).putShort((short) shape.embeddingDim())
                .putShort((short) shape.gistType().code()).putShort((short) 0).putInt(records)
                .put(Arrays.copyOf(shape.modelName().getBytes(StandardCharsets.UTF_8), MODEL_NAME_BYTES));
        return header.position(0);
    }

    /** Puts one record at the position of a little-endian buffer (a whole table is one buffer, not one per record). */
    static void encodeRecord(ByteBuffer into, ArchivedRun run, byte[] sha256, long offset) {
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("record of " + SpanId.describe(run.spanId()) + " without its SHA-256");
        }
        into.putShort((short) run.level()).putShort((short) run.action().code()).putInt(0)
                .putLong(run.spanId()).putLong(run.first()).putLong(run.count()).putLong(offset)
                .putLong(run.deleteAfter() == null ? 0 : run.deleteAfter().getEpochSecond())
                .putLong(run.planId().getMostSignificantBits()).putLong(run.planId().getLeastSignificantBits())
                .put(sha256);
    }

    private static ByteBuffer read(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buffer, position);
        return buffer.flip();
    }

    /** Fills the buffer up to its limit from {@code position} on. */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long start = position - buffer.position();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new CtxFormatException("unexpected end of " + FILE_NAME);
            }
        }
    }

    private static String trimNul(byte[] name) {
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
