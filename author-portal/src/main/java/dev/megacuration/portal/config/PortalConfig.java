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

    /** Prometheus endpoint of the ingest edge, read for the admins' ingest health page. */
    @WithDefault("http://127.0.0.1:8081/q/metrics")
    String ingestMetricsUrl();

    /** Prometheus endpoint of analytics (its Kafka consumer lag and stored reports). */
    @WithDefault("http://127.0.0.1:8082/q/metrics")
    String analyticsMetricsUrl();
}
