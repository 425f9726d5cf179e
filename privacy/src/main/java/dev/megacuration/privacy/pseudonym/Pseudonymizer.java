package dev.megacuration.privacy.pseudonym;

import dev.megacuration.privacy.config.PrivacyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a deployment id into a keyed HMAC pseudonym at the ingest edge. Each tenant gets its own key
 * (derived from the master secret), so the same deployment is unlinkable across tenants.
 */
@ApplicationScoped
public class Pseudonymizer {
    private static final String HMAC = "HmacSHA256";
    private static final int PSEUDONYM_BYTES = 16;

    private final byte[] secret;
    private final Map<String, byte[]> tenantKeys = new ConcurrentHashMap<>();

    @Inject
    public Pseudonymizer(PrivacyConfig config) {
        this(config.pseudonymSecret());
    }

    Pseudonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("megacuration.privacy.pseudonym-secret needs at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public static Pseudonymizer withSecret(String secret) {
        return new Pseudonymizer(secret);
    }

    public String pseudonym(String tenant, UUID deploymentId) {
        byte[] key = tenantKeys.computeIfAbsent(tenant, t -> hmac(secret, "tenant-key:" + t));
        byte[] digest = hmac(key, deploymentId.toString());
        return HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + HMAC, e);
        }
    }
}
