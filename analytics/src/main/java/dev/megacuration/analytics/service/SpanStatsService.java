package dev.megacuration.analytics.service;

import dev.megacuration.analytics.config.AnalyticsConfig;
import dev.megacuration.analytics.mapping.SpanStatsResponse;
import dev.megacuration.analytics.repository.SpanStatsRepository;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/** Span rankings for one bundle, always under the privacy threshold. */
@ApplicationScoped
public class SpanStatsService {
    private final SpanStatsRepository repository;
    private final PrivacyThreshold threshold;
    private final AnalyticsConfig config;

    public SpanStatsService(SpanStatsRepository repository, PrivacyThreshold threshold, AnalyticsConfig config) {
        this.repository = repository;
        this.threshold = threshold;
        this.config = config;
    }

    public Uni<SpanStatsResponse> top(String tenant, String bundle, String version, SpanStatsRepository.Metric metric,
                                      Integer limit) {
        int rows = Math.min(limit == null ? config.defaultLimit() : limit, config.maxLimit());
        // JDBC blocks: run it on a worker so the event loop stays free.
        return Uni.createFrom().item(() -> {
            try {
                var spans = repository.top(tenant, bundle, version, metric, threshold.minDeployments(), rows)
                        .stream().filter(span -> threshold.publishable(span.deployments())).toList();
                return new SpanStatsResponse(tenant, bundle, version, metric.name().toLowerCase(),
                        threshold.minDeployments(), spans);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("ClickHouse query failed", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
