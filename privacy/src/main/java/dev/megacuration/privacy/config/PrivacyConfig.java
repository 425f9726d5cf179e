package dev.megacuration.privacy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

    /** The consent contract version that new opt-ins are recorded under. */
    @WithDefault("2026-11")
    String contractVersion();
}
