package dev.megacuration.privacy.consent;

import dev.megacuration.privacy.secret.BearerSecrets;

/** Ingest credentials of deployments: {@code mcd_} bearer secrets, stored as their SHA-256. */
public final class IngestKeys {
    private static final String PREFIX = "mcd_";

    private IngestKeys() {
    }

    public static String newKey() {
        return BearerSecrets.newSecret(PREFIX);
    }

    /** Whether a bearer is meant as an ingest key (rather than, say, an OAuth2 access token). */
    public static boolean isIngestKey(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    public static String hash(String key) {
        return BearerSecrets.sha256Hex(key);
    }
}
