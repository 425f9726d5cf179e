package dev.megacuration.format.store;

import java.util.regex.Pattern;

/**
 * Names one release in a store. Each part is checked against a strict pattern, so a key can never
 * address anything outside its own folder (no "..", no slashes).
 */
public record ReleaseKey(String tenant, String bundle, String version) {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");

    public ReleaseKey {
        require(SLUG, tenant, "tenant");
        require(SLUG, bundle, "bundle");
        require(VERSION, version, "version");
        if (version.contains("..")) {
            throw new IllegalArgumentException("version must not contain '..'");
        }
    }

    private static void require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + bundle + "@" + version;
    }
}
