package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A .ctx file opened for random reads: dense (version 1) or compacted (version 2, with a block index;
 * docs/ctx-format.md). Opening checks the header, the index and that the file size matches them exactly,
 * so a truncated or padded file is refused before anything reads a payload.
 */
public final class CtxFile implements AutoCloseable {
    private final FileChannel channel;
    private final CtxHeader header;
    private final BlockIndex index;

    private CtxFile(FileChannel channel, CtxHeader header, BlockIndex index) {
        this.channel = channel;
        this.header = header;
        this.index = index;
    }

    public static CtxFile open(Path path, int expectedLevel) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            if (channel.size() < CtxHeader.SIZE) {
                throw new CtxFormatException("file shorter than the " + CtxHeader.SIZE + "-byte header");
            }
            CtxHeader header = CtxHeader.decode(readFully(channel, 0, CtxHeader.SIZE));
            if (header.level() != expectedLevel) {
                throw new CtxFormatException(path.getFileName() + " says level " + header.level()
                        + ", expected " + expectedLevel);
            }
            long actual = channel.size();
            BlockIndex index;
            if (header.isCompacted()) {
                if (header.payloadStart() > actual) {
                    throw new CtxFormatException(path.getFileName() + " is " + actual + " bytes, shorter than its "
                            + header.runCount() + "-run block index");
                }
                index = BlockIndex.decode(readFully(channel, CtxHeader.SIZE,
                        header.runCount() * BlockIndex.RUN_BYTES), header.runCount(), header.numEntries());
            } else {
                index = BlockIndex.dense(header.numEntries());
            }
            long expected;
            try {
                expected = header.fileSize(index.presentEntries());
            } catch (ArithmeticException overflow) {
                throw new CtxFormatException("num_entries " + header.numEntries() + " is absurd (size overflows)");
            }
            if (actual != expected) {
                throw new CtxFormatException(path.getFileName() + " is " + actual + " bytes, header implies "
                        + expected + (actual < expected ? " (truncated payload)" : " (trailing bytes)"));
            }
            return new CtxFile(channel, header, index);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public CtxHeader header() {
        return header;
    }

    /** Which entries this file holds; the whole level for a dense file. */
    public BlockIndex index() {
        return index;
    }

    public boolean isPresent(long n) {
        return index.isPresent(n);
    }

    /** The raw bytes of entry n (a token or a gist vector), little-endian as stored. */
    public ByteBuffer entry(long n) throws IOException {
        if (n < 0 || n >= header.numEntries()) {
            throw new IndexOutOfBoundsException("entry " + n + " of " + header.numEntries());
        }
        long ordinal = index.ordinal(n);
        if (ordinal < 0) {
            throw new EntryCompactedException(header.level(), n);
        }
        return readFully(channel, header.payloadStart() + ordinal * header.entryBytes(), header.entryBytes());
    }

    /** Token id at LOD0 position n. */
    public long token(long n) throws IOException {
        if (header.level() != 0) {
            throw new IllegalStateException("tokens live in LOD0");
        }
        return Integer.toUnsignedLong(entry(n).getInt());
    }

    /** A front-to-back reader of this file's present entries (for rebuilds). */
    public PayloadReader sequentialReader() {
        return new PayloadReader(channel, header, index);
    }

    /** The stored bytes of entries [first, first + count), all present (for archives and checksums). */
    public ByteBuffer entries(long first, long count) throws IOException {
        long ordinal = index.ordinal(first);
        if (count > 0 && (ordinal < 0 || !index.isPresent(first, count))) {
            throw new EntryCompactedException(header.level(), first);
        }
        return readFully(channel, header.payloadStart() + ordinal * header.entryBytes(),
                Math.toIntExact(count * header.entryBytes()));
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new CtxFormatException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
