package dev.megacuration.portal.service;

import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

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
        for (String action : plan.actions()) {
            metrics.counter("megacuration.curation.spans", "tenant", tenant, "action", action.toLowerCase()).increment();
        }
        for (ArchivedRun run : archive) {
            if (plan.planId().equals(run.planId())) {
                long bytes = run.count() * files.levels().get(run.level()).header().entryBytes();
                metrics.counter("megacuration.curation.bytes.reclaimed", "tenant", tenant,
                        "action", run.action().name().toLowerCase()).increment(bytes);
            }
        }
    }
}
