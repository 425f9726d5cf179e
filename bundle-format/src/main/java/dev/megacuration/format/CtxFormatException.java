package dev.megacuration.format;

import java.io.IOException;

/** A .ctx file or metadata.json that is not a valid MegaContext bundle file. */
public class CtxFormatException extends IOException {
    public CtxFormatException(String message) {
        super(message);
    }
}
