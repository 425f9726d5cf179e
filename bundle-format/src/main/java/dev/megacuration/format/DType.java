package dev.megacuration.format;

/** Element type of a .ctx payload, as stored in the header's {@code dtype_code}. */
public enum DType {
    UINT32(0, 4),
    FP16(1, 2),
    BF16(2, 2),
    FP32(3, 4);

    private final int code;
    private final int bytes;

    DType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    public int bytes() {
        return bytes;
    }

    public static DType fromCode(int code) throws CtxFormatException {
        for (DType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new CtxFormatException("unknown dtype_code " + code);
    }
}
