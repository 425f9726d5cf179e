package dev.megacuration.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 64-byte little-endian header that starts every .ctx file (docs/bundle-format.md).
 *
 * @param embeddingDim d for LOD1/LOD2 gists; 0 for LOD0 tokens
 */
public record CtxHeader(int version, int level, int blockSize, int embeddingDim, DType dtype, long numEntries,
                        String modelName) {

    public static final int SIZE = 64;
    public static final int MAGIC = 0x4D434354; // "MCCT"
    public static final int DENSE_VERSION = 1;
    public static final int BLOCK_SIZE = 32;
    public static final int MAX_LEVEL = 2;
    private static final int MODEL_NAME_BYTES = 32;

    public CtxHeader {
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
        return Math.addExact(SIZE, Math.multiplyExact(numEntries, (long) entryBytes()));
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
                .put(Arrays.copyOf(modelName.getBytes(StandardCharsets.UTF_8), MODEL_NAME_BYTES));
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
        if (version != DENSE_VERSION) {
            throw new CtxFormatException("unsupported format version " + version);
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
                new String(name, 0, nameLength, StandardCharsets.UTF_8));
    }
}
