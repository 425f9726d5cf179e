package dev.megacuration.curation.service;

import dev.megacuration.curation.client.AnalyticsClient;
import dev.megacuration.curation.client.SpanFeed;
import dev.megacuration.curation.config.CurationConfig;
import dev.megacuration.curation.planning.CellStatus;
import dev.megacuration.curation.planning.UsageAccumulator;
import dev.megacuration.curation.planning.UsageTable;
import dev.megacuration.curation.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads the analytics curation feed, one age bucket of the window at a time, for every version in the
 * release's lineage, into a {@link UsageTable} (decay and threshold classes: {@link UsageAccumulator}).
 */
@ApplicationScoped
public class UsageCollector {
    private final AnalyticsClient analytics;
    private final CurationConfig config;

    public UsageCollector(@RestClient AnalyticsClient analytics, CurationConfig config) {
        this.analytics = analytics;
        this.config = config;
    }

    public UsageTable collect(String tenant, String bundle, List<String> versions, long lod1, long lod2, Policy policy,
                              LocalDate today) {
        UsageAccumulator usage = new UsageAccumulator(today, policy, lod1, lod2);
        List<UsageAccumulator.Bucket> buckets = usage.buckets();
        for (String version : versions) {
            for (int b = 0; b < buckets.size(); b++) {
                long offset = 0;
                long total;
                int size;
                do {
                    SpanFeed page = analytics.feed(tenant, bundle, version, buckets.get(b).from().toString(),
                            buckets.get(b).to().toString(), offset, config.feedPage());
                    total = page.total();
                    for (SpanFeed.Item item : page.spans()) {
                        if (!usage.covers(item.level(), item.index())) {
                            continue; // a span of a longer version than the one planned
                        }
                        usage.expand(b, item.level(), item.index(), CellStatus.fromFeed(item.expand().status()),
                                item.expand().expands() == null ? 0 : item.expand().expands());
                        SpanFeed.Expand expand = item.expand();
                        if (expand.expands() != null) {
                            usage.measured(item.level(), item.index(), expand.expands(), expand.residency(),
                                    expand.deltaNll() == null ? null : expand.deltaNll().p50(), expand.lastSeen());
                        }
                        usage.stale(item.level(), item.index(), CellStatus.fromFeed(item.stale().status()),
                                item.stale().reports() == null ? 0 : item.stale().reports());
                    }
                    size = page.spans().size();
                    offset += size;
                } while (offset < total && size > 0);
            }
        }
        return usage.table();
    }
}
