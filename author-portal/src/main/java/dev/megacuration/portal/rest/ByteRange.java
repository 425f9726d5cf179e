package dev.megacuration.portal.rest;

/**
 * A single HTTP byte range (RFC 9110 §14.1.2) resolved against a file size: {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. Several ranges are not supported and are answered with the whole
 * file, which the RFC allows.
 */
record ByteRange(long start, long length) {

    /** Thrown for a range that lies wholly beyond the file (answered with 416). */
    static final class Unsatisfiable extends RuntimeException {
        final long size;

        Unsatisfiable(long size) {
            super("range not satisfiable for a file of " + size + " bytes");
            this.size = size;
        }
    }

    /** The range to send, or null for the whole file. */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw new Unsatisfiable(size);
                }
                long start = Math.max(0, size - suffix);
                return new ByteRange(start, size - start);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start >= size || end < start) {
                throw new Unsatisfiable(size);
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
