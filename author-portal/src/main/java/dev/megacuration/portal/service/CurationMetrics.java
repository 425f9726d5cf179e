package dev.megacuration.portal.service;

import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What curation changed in live releases, counted when a curated release is registered (after its
 * transaction committed): the plan's spans by action (compact, archive, delete, restore), and the live
 * bytes its removed runs held. Runs an earlier plan removed are carried in every later archive, so only
 * this plan's runs count.
 */
@ApplicationScoped
public class CurationMetrics {
    private final MeterRegistry metrics;

    public CurationMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void applied(String tenant, PlanDocument plan, BundleFiles.Verified files, List<ArchivedRun> archive) {
        // A plan may change hundreds of thousands of spans: sum by action first, then one increment each.
        Map<String, Long> spans = new TreeMap<>();
        for (String action : plan.actions()) {
            spans.merge(action.toLowerCase(), 1L, Long::sum);
        }
        Map<String, Long> bytes = new TreeMap<>();
        for (ArchivedRun run : archive) {
            if (plan.planId().equals(run.planId())) {
                bytes.merge(run.action().name().toLowerCase(),
                        run.count() * files.levels().get(run.level()).header().entryBytes(), Long::sum);
            }
        }
        spans.forEach((action, n) -> metrics.counter("megacuration.curation.spans", "tenant", tenant, "action", action)
                .increment(n));
        bytes.forEach((action, n) -> metrics.counter("megacuration.curation.bytes.reclaimed", "tenant", tenant,
                "action", action).increment(n));
    }
}
