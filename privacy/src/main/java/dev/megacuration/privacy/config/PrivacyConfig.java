package dev.megacuration.privacy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Privacy settings every service shares. */
@ConfigMapping(prefix = "megacuration.privacy")
public interface PrivacyConfig {

    /** k: no published number may rest on fewer distinct deployments than this. */
    @WithDefault("5")
    int minDeployments();

    /**
     * Encrypts the pseudonym keys stored in PostgreSQL (AES-256-GCM; a passphrase is hashed to 256 bits).
     * Never logged, never stored; losing it makes old pseudonyms unreproducible, which only erasure needs.
     */
    String keyEncryptionKey();

    /**
     * The key-encryption keys before the current one, during a rotation: keys sealed under them still open,
     * and the portal's reseal call seals them under the current one, after which these can go.
     */
    Optional<List<String>> previousKeyEncryptionKeys();

    /** The consent contract version that new opt-ins are recorded under. */
    @WithDefault("2026-11")
    String contractVersion();
}
