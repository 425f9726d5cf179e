package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the present entries of a .ctx file front to back for a rebuild, as slices of a read-only memory
 * mapping: nothing is copied out of the page cache until the writer hands the slices to the kernel, and a
 * hundred thousand small runs cost no system call each. Runs must be asked for in entry order. Slices stay
 * valid while the reader is reachable (the file is never written while it is read: releases are immutable).
 */
public final class PayloadReader {
    /** Receives consecutive pieces of a run's bytes. */
    @FunctionalInterface
    public interface Sink {
        void accept(ByteBuffer bytes) throws IOException;
    }

    /** Mapped a gigabyte at a time: a ByteBuffer holds at most 2 GB, and LOD0 files can be larger. */
    private static final long CHUNK = 1L << 30;
    private final FileChannel channel;
    private final CtxHeader header;
    private final BlockIndex index;
    private MappedByteBuffer chunk;
    private long chunkStart = -1;
    private long chunkEnd = -1;

    PayloadReader(FileChannel channel, CtxHeader header, BlockIndex index) {
        this.channel = channel;
        this.header = header;
        this.index = index;
    }

    /** Streams the bytes of present entries [first, first + count) to the sink, as slices of the mapping. */
    public void stream(long first, long count, Sink sink) throws IOException {
        long position = position(first, count);
        long end = position + count * header.entryBytes();
        while (position < end) {
            if (position < chunkStart || position >= chunkEnd) {
                map(position);
            }
            int from = (int) (position - chunkStart);
            int length = (int) Math.min(end - position, chunkEnd - position);
            sink.accept(chunk.slice(from, length));
            position += length;
        }
    }

    /** The bytes of a small run (an archived span): a slice of the mapping, or a copy if it spans two chunks. */
    public ByteBuffer slice(long first, long count) throws IOException {
        long position = position(first, count);
        int length = Math.toIntExact(count * header.entryBytes());
        if (position < chunkStart || position >= chunkEnd) {
            map(position);
        }
        if (position + length <= chunkEnd) {
            return chunk.slice((int) (position - chunkStart), length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        stream(first, count, bytes::put);
        return bytes.flip();
    }

    private long position(long first, long count) {
        long ordinal = index.ordinal(first);
        if (count > 0 && (ordinal < 0 || !index.isPresent(first, count))) {
            throw new EntryCompactedException(header.level(), first);
        }
        return header.payloadStart() + ordinal * header.entryBytes();
    }

    private void map(long position) throws IOException {
        long size = channel.size();
        if (position >= size) {
            throw new CtxFormatException("unexpected end of file at byte " + position);
        }
        long length = Math.min(CHUNK, size - position);
        chunk = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
        chunkStart = position;
        chunkEnd = position + length;
    }
}
