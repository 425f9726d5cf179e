package dev.megacuration.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 64-byte little-endian header that starts every .ctx file (docs/bundle-format.md, docs/ctx-format.md).
 *
 * @param embeddingDim d for LOD1/LOD2 gists; 0 for LOD0 tokens
 * @param numEntries   entries of the whole timeline at this level, present or compacted away
 * @param runCount     version 2 only: runs in the block index that follows the header; 0 in version 1
 */
public record CtxHeader(int version, int level, int blockSize, int embeddingDim, DType dtype, long numEntries,
                        String modelName, int runCount) {

    public static final int SIZE = 64;
    public static final int MAGIC = 0x4D434354; // "MCCT"
    public static final int DENSE_VERSION = 1;
    /** Compacted: a block index of present runs follows the header (docs/ctx-format.md). */
    public static final int COMPACT_VERSION = 2;
    /** Run counts above this would make an index over 1 GiB: refused before anything is allocated. */
    public static final int MAX_RUNS = (1 << 30) / BlockIndex.RUN_BYTES;
    private static final int RUN_COUNT_OFFSET = 54;
    public static final int BLOCK_SIZE = 32;
    public static final int MAX_LEVEL = 2;
    private static final int MODEL_NAME_BYTES = 32;

    /** A dense (version 1) header. */
    public CtxHeader(int version, int level, int blockSize, int embeddingDim, DType dtype, long numEntries,
                     String modelName) {
        this(version, level, blockSize, embeddingDim, dtype, numEntries, modelName, 0);
    }

    public CtxHeader {
        if (version == DENSE_VERSION && runCount != 0) {
            throw new IllegalArgumentException("a dense file has no block index");
        }
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be 0.." + MAX_LEVEL + ": " + level);
        }
        if (modelName.getBytes(StandardCharsets.UTF_8).length > MODEL_NAME_BYTES) {
            throw new IllegalArgumentException("model name longer than " + MODEL_NAME_BYTES + " bytes");
        }
    }

    /** Bytes of one entry: a uint32 token at LOD0, a d-dimensional vector above it. */
    public int entryBytes() {
        return level == 0 ? dtype.bytes() : embeddingDim * dtype.bytes();
    }

    /** The size a dense file with this header must have; throws on overflow instead of wrapping. */
    public long denseFileSize() {
        return fileSize(numEntries);
    }

    /** The size of a file holding {@code presentEntries} entries; throws on overflow instead of wrapping. */
    public long fileSize(long presentEntries) {
        return Math.addExact(payloadStart(), Math.multiplyExact(presentEntries, (long) entryBytes()));
    }

    /** Where entry payloads begin: after the header and, in version 2, the block index. */
    public long payloadStart() {
        return SIZE + (long) runCount * BlockIndex.RUN_BYTES;
    }

    public boolean isCompacted() {
        return version == COMPACT_VERSION;
    }

    public ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC)
                .putShort((short) version)
                .putShort((short) level)
                .putShort((short) blockSize)
                .putShort((short) embeddingDim)
                .putShort((short) dtype.code())
                .putLong(numEntries)
                .put(Arrays.copyOf(modelName.getBytes(StandardCharsets.UTF_8), MODEL_NAME_BYTES))
                .putInt(RUN_COUNT_OFFSET, runCount);
        return buffer.position(0);
    }

    /** Parses and checks a header; every check names the field so a refused upload says why. */
    public static CtxHeader decode(ByteBuffer raw) throws CtxFormatException {
        if (raw.remaining() < SIZE) {
            throw new CtxFormatException("file shorter than the " + SIZE + "-byte header");
        }
        ByteBuffer buffer = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int magic = buffer.getInt();
        if (magic != MAGIC) {
            throw new CtxFormatException(String.format("bad magic 0x%08X, expected 0x%08X (MCCT)", magic, MAGIC));
        }
        int version = Short.toUnsignedInt(buffer.getShort());
        int level = Short.toUnsignedInt(buffer.getShort());
        int blockSize = Short.toUnsignedInt(buffer.getShort());
        int embeddingDim = Short.toUnsignedInt(buffer.getShort());
        DType dtype = DType.fromCode(Short.toUnsignedInt(buffer.getShort()));
        long numEntries = buffer.getLong();
        byte[] name = new byte[MODEL_NAME_BYTES];
        buffer.get(name);
        long runCount = Integer.toUnsignedLong(buffer.getInt());
        if (version != DENSE_VERSION && version != COMPACT_VERSION) {
            throw new CtxFormatException("unsupported format version " + version);
        }
        if (version == DENSE_VERSION) {
            runCount = 0; // reserved bytes in version 1: not ours to judge
        } else if (runCount > MAX_RUNS || runCount > numEntries && numEntries >= 0) {
            throw new CtxFormatException("block index of " + runCount + " runs is absurd for " + numEntries
                    + " entries");
        }
        if (level > MAX_LEVEL) {
            throw new CtxFormatException("level " + level + " is not 0, 1 or 2");
        }
        if (blockSize != BLOCK_SIZE) {
            throw new CtxFormatException("block_size " + blockSize + ", expected " + BLOCK_SIZE);
        }
        if (numEntries < 0) {
            throw new CtxFormatException("num_entries is negative (over 2^63)");
        }
        if (level == 0 && dtype != DType.UINT32) {
            throw new CtxFormatException("LOD0 holds uint32 tokens, not " + dtype);
        }
        if (level > 0 && (embeddingDim == 0 || dtype == DType.UINT32)) {
            throw new CtxFormatException("LOD" + level + " needs embedding_dim > 0 and a float dtype");
        }
        int nameLength = 0;
        while (nameLength < name.length && name[nameLength] != 0) {
            nameLength++;
        }
        return new CtxHeader(version, level, blockSize, embeddingDim, dtype, numEntries,
                new String(name, 0, nameLength, StandardCharsets.UTF_8), (int) runCount);
    }
}
