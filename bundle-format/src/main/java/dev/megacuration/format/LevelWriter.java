package dev.megacuration.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one level of a rebuilt release whose present entries are known up front: dense (version 1) when
 * the index covers every entry, so untouched levels stay readable by version-1 readers, else compacted
 * (version 2). Payload is appended in entry order, mostly as copied runs of an existing file; the header
 * is written last, so a writer that dies midway leaves a file that {@link CtxFile#open} refuses.
 */
public final class LevelWriter implements AutoCloseable {
    private final FileChannel channel;
    private final CtxHeader header;
    private final long expectedBytes;
    private boolean complete;

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
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        channel.position(CtxHeader.SIZE);
        if (header.isCompacted()) {
            write(index.encode());
        }
    }

    public CtxHeader header() {
        return header;
    }

    /** Appends present entries [first, first + count) of {@code source}, copied by the OS. */
    public void copy(CtxFile source, long first, long count) throws IOException {
        source.copyEntries(first, count, channel);
    }

    /** Appends raw entry bytes (restored from an archive). */
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Marks the payload finished: close then writes the header; without this it leaves the file invalid. */
    public void finish() throws IOException {
        if (channel.position() != expectedBytes) {
            throw new IllegalStateException("LOD" + header.level() + " payload is " + channel.position()
                    + " bytes, its index needs " + expectedBytes);
        }
        complete = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (complete) {
                ByteBuffer encoded = header.encode();
                while (encoded.hasRemaining()) {
                    channel.write(encoded, encoded.position());
                }
                channel.force(true);
            }
        } finally {
            channel.close();
        }
    }
}
