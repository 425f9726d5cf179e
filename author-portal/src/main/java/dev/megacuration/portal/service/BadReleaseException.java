package dev.megacuration.portal.service;

/** An upload that is not a valid, complete release, or whose bytes do not match their checksums. */
public class BadReleaseException extends RuntimeException {
    public BadReleaseException(String message) {
        super(message);
    }
}
