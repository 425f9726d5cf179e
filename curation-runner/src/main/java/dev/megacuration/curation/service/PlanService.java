package dev.megacuration.curation.service;

import dev.megacuration.curation.client.AnalyticsClient;
import dev.megacuration.curation.client.SpanStats;
import dev.megacuration.curation.config.CurationConfig;
import dev.megacuration.curation.mapping.PlannedSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Builds a plan for one bundle from the analytics API (never from ClickHouse directly). */
@ApplicationScoped
public class PlanService {
    private final AnalyticsClient analytics;
    private final CurationConfig config;
    private final SimplePolicy policy = new SimplePolicy();

    public PlanService(@RestClient AnalyticsClient analytics, CurationConfig config) {
        this.analytics = analytics;
        this.config = config;
    }

    public List<PlannedSpan> plan(String tenant, String bundle, String version) {
        SpanStats expanded = analytics.topExpanded(tenant, bundle, version, config.statsLimit());
        SpanStats stale = analytics.stale(tenant, bundle, version, config.statsLimit());
        return policy.plan(expanded, stale);
    }
}
