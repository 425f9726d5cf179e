package dev.megacuration.analytics.service;

import dev.megacuration.analytics.repository.ErasureStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * The erased pseudonyms the consumer refuses, held in memory and reloaded from ClickHouse every few
 * seconds, so that every analytics instance learns of an erasure made by another one.
 */
@ApplicationScoped
public class ErasedDeployments {
    private static final Logger LOG = Logger.getLogger(ErasedDeployments.class);

    private final ErasureStore store;
    private final Set<String> erased = ConcurrentHashMap.newKeySet();
    private final CountDownLatch loaded = new CountDownLatch(1);

    public ErasedDeployments(ErasureStore store) {
        this.store = store;
    }

    /** Blocks the (blocking) consumer until the set has been loaded once: no insert may run without it. */
    public boolean isErased(String tenant, String pseudonym) throws InterruptedException {
        while (!loaded.await(10, TimeUnit.SECONDS)) {
            LOG.warn("Still waiting for the erased-pseudonym set before storing reports");
            refresh();
        }
        return erased.contains(ErasureStore.key(tenant, pseudonym));
    }

    /** After the ClickHouse migrations (which observe start-up earlier) have created the table. */
    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event) {
        refresh();
    }

    /** Records new erasures in ClickHouse and here, before their rows are deleted. */
    public void add(String tenant, List<String> pseudonyms) throws SQLException {
        store.markErased(tenant, pseudonyms);
        pseudonyms.forEach(pseudonym -> erased.add(ErasureStore.key(tenant, pseudonym)));
    }

    @Scheduled(every = "${megacuration.analytics.erased-refresh}", delayed = "${megacuration.analytics.erased-refresh}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            erased.addAll(store.erased());
            loaded.countDown();
        } catch (SQLException e) {
            LOG.warn("Could not reload the erased pseudonyms; keeping the set held so far", e);
        }
    }
}
