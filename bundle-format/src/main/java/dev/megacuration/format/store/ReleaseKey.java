package dev.megacuration.format.store;

import java.util.regex.Pattern;

/**
 * Names one release in a store. Each part is checked against a strict pattern, so a key can never
 * address anything outside its own folder (no "..", no slashes).
 */
public record ReleaseKey(String tenant, String bundle, String version) {
    /** Tenant and bundle names, everywhere they are accepted (paths, reports, consent). */
    public static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";
    /** Release versions, everywhere they are accepted. */
    public static final String VERSION = "[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}";
    private static final Pattern SLUG_PATTERN = Pattern.compile(SLUG);
    private static final Pattern VERSION_PATTERN = Pattern.compile(VERSION);

    public ReleaseKey {
        require(SLUG_PATTERN, tenant, "tenant");
        require(SLUG_PATTERN, bundle, "bundle");
        require(VERSION_PATTERN, version, "version");
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
