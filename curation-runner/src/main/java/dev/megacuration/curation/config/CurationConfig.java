package dev.megacuration.curation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "megacuration.curation")
public interface CurationConfig {

    /** Spans per page of the analytics curation feed. */
    @WithDefault("5000")
    int feedPage();

    /**
     * Where releases downloaded from the portal are kept (verified against their SHA-256 before use) and
     * where new releases are assembled before their upload.
     */
    @WithDefault("${java.io.tmpdir}/megacuration")
    String workDir();

    /**
     * Downloaded releases kept per bundle, the ones used last: older copies are only a cache (the portal
     * holds every release), and a rebuilt bundle would otherwise leave one full copy per run on the disk.
     */
    @WithDefault("3")
    int cachedReleasesPerBundle();

    /**
     * A Prometheus text-format file the runner adds its counters to after each command (for node_exporter's
     * textfile collector or any scraper); unset: no metrics file.
     */
    Optional<String> metricsFile();
}
