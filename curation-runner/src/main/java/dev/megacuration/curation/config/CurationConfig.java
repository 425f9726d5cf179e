package dev.megacuration.curation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "megacuration.curation")
public interface CurationConfig {

    /** Spans fetched from analytics per ranking when planning. */
    @WithDefault("500")
    int statsLimit();
}
