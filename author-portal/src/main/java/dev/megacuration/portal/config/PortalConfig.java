package dev.megacuration.portal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "megacuration.portal")
public interface PortalConfig {

    /** Rows in each span table of a bundle page. */
    @WithDefault("20")
    int topSpans();

    /** Directory of the release store (one folder per release; must survive restarts). */
    @WithDefault("target/release-store")
    String releaseStore();
}
