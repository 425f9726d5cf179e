package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the present entries of a .ctx file front to back through one large window, so a rebuild that
 * visits a hundred thousand small runs makes a few dozen reads instead of a system call per run. Runs must
 * be asked for in entry order; a slice is valid until the next call.
 */
public final class PayloadReader {
    /** Receives consecutive pieces of a run's bytes. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    private static final int WINDOW = 8 << 20;
    private final FileChannel channel;
    private final CtxHeader header;
    private final BlockIndex index;
    private final ByteBuffer window;
    private long windowStart = -1;
    private long windowEnd = -1;

    PayloadReader(FileChannel channel, CtxHeader header, BlockIndex index) {
        this.channel = channel;
        this.header = header;
        this.index = index;
        this.window = ByteBuffer.allocateDirect(WINDOW);
    }

    /** Streams the bytes of present entries [first, first + count) to the sink, in window-sized pieces. */
    public void stream(long first, long count, Sink sink) throws IOException {
        long ordinal = index.ordinal(first);
        if (count > 0 && (ordinal < 0 || !index.isPresent(first, count))) {
            throw new EntryCompactedException(header.level(), first);
        }
        long position = header.payloadStart() + ordinal * header.entryBytes();
        long end = position + count * header.entryBytes();
        while (position < end) {
            if (position < windowStart || position >= windowEnd) {
                fill(position);
            }
            int from = (int) (position - windowStart);
            int length = (int) Math.min(end - position, windowEnd - position);
            sink.accept(window.duplicate().position(from).limit(from + length));
            position += length;
        }
    }

    /** The bytes of a small run (an archived span), copied out of the window. */
    public ByteBuffer read(long first, long count) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(count * header.entryBytes()));
        stream(first, count, bytes::put);
        return bytes.flip();
    }

    private void fill(long position) throws IOException {
        window.clear();
        long size = channel.size();
        while (window.hasRemaining() && position + window.position() < size) {
            if (channel.read(window, position + window.position()) < 0) {
                break;
            }
        }
        window.flip();
        windowStart = position;
        windowEnd = position + window.limit();
        if (windowEnd == windowStart) {
            throw new CtxFormatException("unexpected end of file at byte " + position);
        }
    }
}
