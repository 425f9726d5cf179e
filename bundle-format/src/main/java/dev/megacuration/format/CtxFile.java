package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dense (version 1) .ctx file opened for random reads. Opening checks the header and that the file
 * size matches it exactly, so a truncated or padded file is refused before anything reads a payload.
 */
public final class CtxFile implements AutoCloseable {
    private final FileChannel channel;
    private final CtxHeader header;

    private CtxFile(FileChannel channel, CtxHeader header) {
        this.channel = channel;
        this.header = header;
    }

    public static CtxFile open(Path path, int expectedLevel) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer raw = ByteBuffer.allocate(CtxHeader.SIZE);
            while (raw.hasRemaining() && channel.read(raw) >= 0) {
                // keep reading: a channel may return fewer bytes than asked
            }
            CtxHeader header = CtxHeader.decode(raw.flip());
            if (header.level() != expectedLevel) {
                throw new CtxFormatException(path.getFileName() + " says level " + header.level()
                        + ", expected " + expectedLevel);
            }
            long expected;
            try {
                expected = header.denseFileSize();
            } catch (ArithmeticException overflow) {
                throw new CtxFormatException("num_entries " + header.numEntries() + " is absurd (size overflows)");
            }
            long actual = channel.size();
            if (actual != expected) {
                throw new CtxFormatException(path.getFileName() + " is " + actual + " bytes, header implies "
                        + expected + (actual < expected ? " (truncated payload)" : " (trailing bytes)"));
            }
            return new CtxFile(channel, header);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public CtxHeader header() {
        return header;
    }

    /** The raw bytes of entry n (a token or a gist vector), little-endian as stored. */
    public ByteBuffer entry(long n) throws IOException {
        if (n < 0 || n >= header.numEntries()) {
            throw new IndexOutOfBoundsException("entry " + n + " of " + header.numEntries());
        }
        ByteBuffer buffer = ByteBuffer.allocate(header.entryBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long position = CtxHeader.SIZE + n * header.entryBytes();
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new CtxFormatException("unexpected end of file at entry " + n);
            }
        }
        return buffer.flip();
    }

    /** Token id at LOD0 position n. */
    public long token(long n) throws IOException {
        if (header.level() != 0) {
            throw new IllegalStateException("tokens live in LOD0");
        }
        return Integer.toUnsignedLong(entry(n).getInt());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
