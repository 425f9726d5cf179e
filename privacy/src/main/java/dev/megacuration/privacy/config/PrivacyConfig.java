package dev.megacuration.privacy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Privacy settings every service shares. */
@ConfigMapping(prefix = "megacuration.privacy")
public interface PrivacyConfig {

    /** k: no published number may rest on fewer distinct deployments than this. */
    @WithDefault("5")
    int minDeployments();

    /** Master secret from which per-tenant pseudonym keys are derived. Never logged, never stored. */
    String pseudonymSecret();

    /** The consent contract version that new opt-ins are recorded under. */
    @WithDefault("2026-11")
    String contractVersion();
}
