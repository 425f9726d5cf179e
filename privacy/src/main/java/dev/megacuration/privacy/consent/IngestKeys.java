package dev.megacuration.privacy.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ingest credentials of deployments. Keys are 256 random bits, so a plain SHA-256 is enough to store
 * them: there is nothing to brute-force, and lookups by hash stay a single index probe.
 */
public final class IngestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "mcd_";

    private IngestKeys() {
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
