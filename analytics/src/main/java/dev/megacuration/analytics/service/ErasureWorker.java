package dev.megacuration.analytics.service;

import dev.megacuration.analytics.config.AnalyticsConfig;
import dev.megacuration.analytics.repository.ErasureStore;
import dev.megacuration.privacy.erasure.ErasureRepository;
import dev.megacuration.privacy.erasure.ErasureRequest;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Carries out consumers' erasure requests: works out every pseudonym the deployment had (each tenant it
 * consented to, each key epoch), adds them to the erased set so the consumer refuses their records from now
 * on (a topic replay included), deletes their rows, waits for records that were already past the check, and
 * rebuilds the stored aggregates of every month they had rows in (an aggregate never outlives a raw row),
 * and completes the request only when a recount finds none.
 */
@ApplicationScoped
public class ErasureWorker {
    private static final Logger LOG = Logger.getLogger(ErasureWorker.class);
    private static final String ACTOR = "analytics";
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final ErasureRepository requests;
    private final Pseudonymizer pseudonymizer;
    private final ErasedDeployments erased;
    private final ErasureStore store;
    private final RollupBuilder rollups;
    private final OpenDayRefresher openDays;
    private final AnalyticsConfig config;

    public ErasureWorker(ErasureRepository requests, Pseudonymizer pseudonymizer, ErasedDeployments erased,
                         ErasureStore store, RollupBuilder rollups, OpenDayRefresher openDays, AnalyticsConfig config) {
        this.rollups = rollups;
        this.openDays = openDays;
        this.requests = requests;
        this.pseudonymizer = pseudonymizer;
        this.erased = erased;
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "${megacuration.analytics.erasure-poll}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void work() {
        List<ErasureRequest> open;
        try {
            open = requests.open().await().atMost(DB_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("Could not read erasure requests; trying again at the next poll", e);
            return;
        }
        for (ErasureRequest request : open) {
            try {
                long rows = erase(request);
                requests.complete(request, rows, ACTOR).await().atMost(DB_TIMEOUT);
                LOG.infof("Erasure %s completed: %d rows", request.id(), rows);
            } catch (Exception e) {
                LOG.errorf(e, "Erasure %s failed; it is retried at the next poll", request.id());
                try {
                    requests.fail(request, e.getClass().getSimpleName() + ": " + e.getMessage(), ACTOR)
                            .await().atMost(DB_TIMEOUT);
                } catch (RuntimeException ignored) {
                    // The request stays open either way and is retried.
                }
            }
        }
    }

    private long erase(ErasureRequest request) throws Exception {
        long rows = 0;
        for (String tenant : requests.tenantsOf(request.deploymentId()).await().atMost(DB_TIMEOUT)) {
            List<String> pseudonyms = pseudonymizer.allPseudonyms(tenant, request.deploymentId())
                    .await().atMost(DB_TIMEOUT);
            if (pseudonyms.isEmpty()) {
                continue; // no key for this tenant: it never received a report
            }
            erased.add(tenant, pseudonyms);
            java.util.Set<java.time.YearMonth> months = store.monthsOf(tenant, pseudonyms);
            rows += store.rowsOf(tenant, pseudonyms);
            store.deleteRows(tenant, pseudonyms);
            // A record that passed the consumer's check just before the set grew may land after the delete.
            Thread.sleep(config.erasureSettle().toMillis());
            long late = store.rowsOf(tenant, pseudonyms);
            if (late > 0) {
                rows += late;
                months.addAll(store.monthsOf(tenant, pseudonyms));
                store.deleteRows(tenant, pseudonyms);
            }
            if (store.rowsOf(tenant, pseudonyms) > 0) {
                throw new IllegalStateException("rows of the erased deployment remain in " + tenant);
            }
            rollups.rebuild(tenant, months);
            openDays.refreshTenant(tenant);
        }
        return rows;
    }
}
