package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams entries into a dense .ctx file. The entry count is only known at the end, so the header is
 * written last; a writer that is never closed leaves a file whose header says 0 entries and whose
 * size disagrees with it, which {@link CtxFile#open} refuses.
 */
public final class CtxWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final FileChannel channel;
    private final CtxHeader template;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long entries;

    public CtxWriter(Path path, int level, int embeddingDim, DType dtype, String modelName) throws IOException {
        this.template = new CtxHeader(CtxHeader.DENSE_VERSION, level, CtxHeader.BLOCK_SIZE, embeddingDim, dtype, 0,
                modelName);
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.position(CtxHeader.SIZE);
    }

    public void writeToken(int tokenId) throws IOException {
        requireRoom(4);
        buffer.putInt(tokenId);
        entries++;
    }

    /** Writes one gist; its length must be embedding_dim * dtype bytes. */
    public void writeEntry(byte[] entry) throws IOException {
        if (entry.length != template.entryBytes()) {
            throw new IllegalArgumentException("entry has " + entry.length + " bytes, expected "
                    + template.entryBytes());
        }
        requireRoom(entry.length);
        buffer.put(entry);
        entries++;
    }

    public long entries() {
        return entries;
    }

    private void requireRoom(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            CtxHeader header = new CtxHeader(template.version(), template.level(), template.blockSize(),
                    template.embeddingDim(), template.dtype(), entries, template.modelName());
            ByteBuffer encoded = header.encode();
            while (encoded.hasRemaining()) {
                channel.write(encoded, encoded.position());
            }
            channel.force(true);
        } finally {
            channel.close();
        }
    }
}
