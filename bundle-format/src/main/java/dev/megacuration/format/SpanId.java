package dev.megacuration.format;

/**
 * A span is one tree node (level, index at that level); on the wire and in every table it is
 * {@code (level << 56) | index} as an unsigned 64-bit value.
 */
public final class SpanId {
    private static final int LEVEL_SHIFT = 56;
    private static final long INDEX_MASK = (1L << LEVEL_SHIFT) - 1;

    private SpanId() {
    }

    public static long of(int level, long index) {
        if (level < 0 || level > CtxHeader.MAX_LEVEL) {
            throw new IllegalArgumentException("level must be 0.." + CtxHeader.MAX_LEVEL);
        }
        if (index < 0 || index > INDEX_MASK) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        return ((long) level << LEVEL_SHIFT) | index;
    }

    public static int level(long spanId) {
        return (int) (spanId >>> LEVEL_SHIFT);
    }

    public static long index(long spanId) {
        return spanId & INDEX_MASK;
    }

    /** Whether the id names a level this format has (0, 1 or 2). */
    public static boolean isValid(long spanId) {
        return level(spanId) <= CtxHeader.MAX_LEVEL;
    }

    /** Tokens covered per span at this level: 32^level. */
    public static long tokensPerSpan(int level) {
        return 1L << (5 * level);
    }

    public static long firstToken(long spanId) {
        return index(spanId) * tokensPerSpan(level(spanId));
    }

    public static String describe(long spanId) {
        return "L" + level(spanId) + ":" + index(spanId);
    }
}
