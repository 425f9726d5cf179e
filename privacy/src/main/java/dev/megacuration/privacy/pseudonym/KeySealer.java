package dev.megacuration.privacy.pseudonym;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Encrypts pseudonym keys at rest with AES-256-GCM under the configured key-encryption key. */
final class KeySealer {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec kek;

    KeySealer(String keyEncryptionKey) {
        if (keyEncryptionKey == null || keyEncryptionKey.length() < 16) {
            throw new IllegalArgumentException("megacuration.privacy.key-encryption-key needs at least 16 characters");
        }
        try {
            // The configured text may be a passphrase; hashing it gives a uniform 256-bit key.
            byte[] key = MessageDigest.getInstance("SHA-256").digest(keyEncryptionKey.getBytes(StandardCharsets.UTF_8));
            this.kek = new SecretKeySpec(key, "AES");
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

    byte[] open(byte[] sealed, String tenant, String epoch) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(aad(tenant, epoch));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the pseudonym key of " + tenant + " " + epoch
                    + " does not open with this key-encryption key", e);
        }
    }

    private static byte[] aad(String tenant, String epoch) {
        return (tenant + "\n" + epoch).getBytes(StandardCharsets.UTF_8);
    }
}
