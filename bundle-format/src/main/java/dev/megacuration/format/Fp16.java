package dev.megacuration.format;

/** IEEE 754 half precision; Java 17 has no Float.floatToFloat16 (added in 20). */
final class Fp16 {
    private Fp16() {
    }

    /** Rounds toward zero; subnormals flush to zero, overflow saturates to infinity. Enough for gists. */
    static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = (bits >>> 13) & 0x3FF;
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7E00);
        }
        if (exponent <= 0) {
            return (short) sign;
        }
        if (exponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        return (short) (sign | (exponent << 10) | mantissa);
    }
}
