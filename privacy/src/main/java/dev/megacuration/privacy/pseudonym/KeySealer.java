package dev.megacuration.privacy.pseudonym;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts pseudonym keys at rest with AES-256-GCM under the configured key-encryption key (KEK). During a
 * rotation, keys sealed under a previous KEK still open (GCM's tag tells which KEK sealed a key).
 */
final class KeySealer {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec kek;
    private final List<SecretKeySpec> previous;

    KeySealer(String keyEncryptionKey) {
        this(keyEncryptionKey, List.of());
    }

    KeySealer(String keyEncryptionKey, List<String> previousKeyEncryptionKeys) {
        this.kek = aesKey(keyEncryptionKey);
        this.previous = previousKeyEncryptionKeys.stream().map(KeySealer::aesKey).toList();
    }

    private static SecretKeySpec aesKey(String keyEncryptionKey) {
        if (keyEncryptionKey == null || keyEncryptionKey.length() < 16) {
            throw new IllegalArgumentException("a megacuration.privacy key-encryption key needs at least 16 characters");
        }
        try {
            // The configured text may be a passphrase; hashing it gives a uniform 256-bit key.
            byte[] key = MessageDigest.getInstance("SHA-256").digest(keyEncryptionKey.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Binds the sealed key to its tenant and epoch, so a row copied to another tenant does not open. */
    byte[] seal(byte[] key, String tenant, String epoch) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(tenant, epoch));
            byte[] sealed = cipher.doFinal(key);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a pseudonym key", e);
        }
    }

    /** The plain key, opened with the current KEK or, failing that, a previous one. */
    byte[] open(byte[] sealed, String tenant, String epoch) {
        byte[] key = openWith(kek, sealed, tenant, epoch);
        for (int i = 0; key == null && i < previous.size(); i++) {
            key = openWith(previous.get(i), sealed, tenant, epoch);
        }
        if (key == null) {
            throw new IllegalStateException("the pseudonym key of " + tenant + " " + epoch
                    + " does not open with the configured key-encryption keys");
        }
        return key;
    }

    /** Whether the current KEK sealed this key (a rotation reseals the others). */
    boolean sealedUnderCurrent(byte[] sealed, String tenant, String epoch) {
        return openWith(kek, sealed, tenant, epoch) != null;
    }

    private static byte[] openWith(SecretKeySpec kek, byte[] sealed, String tenant, String epoch) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(aad(tenant, epoch));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException wrongKekOrTampered) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a pseudonym key", e);
        }
    }

    private static byte[] aad(String tenant, String epoch) {
        return (tenant + "\n" + epoch).getBytes(StandardCharsets.UTF_8);
    }
}
