package dev.megacuration.format.store;

import java.io.IOException;

/** A release of that version is already stored: releases are immutable. */
public class ReleaseExistsException extends IOException {
    public ReleaseExistsException(ReleaseKey key) {
        super("release " + key + " already exists");
    }
}
