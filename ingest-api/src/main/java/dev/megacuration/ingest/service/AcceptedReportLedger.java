package dev.megacuration.ingest.service;

import dev.megacuration.ingest.repository.AcceptedReportRepository;
import dev.megacuration.ingest.repository.AcceptedReportRepository.Accepted;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The per-deployment ledger of published report ids, written off the response path: a report is
 * answered 202 as soon as Kafka acknowledged it, and its id joins the ledger in the next flush (every
 * 100 ms, up to 1,000 ids in one statement). Until then the id is held here, so a retry in between is
 * still answered "duplicate". A crash loses at most the last 100 ms of ids; a retry of one of those is
 * published again and dropped by analytics, which counts a report id once whatever the edge says.
 *
 * <p>Lookups are grouped the same way: one statement at a time asks for every report that arrived while the
 * previous one ran, so under load the database answers hundreds of reports per round trip instead of one,
 * and a lone report waits for no timer.
 */
@ApplicationScoped
public class AcceptedReportLedger {
    private static final Logger LOG = Logger.getLogger(AcceptedReportLedger.class);
    private static final int MAX_FLUSH = 1000;
    private static final int MAX_LOOKUP = 500;
    private static final long FLUSH_EVERY_MS = 100;

    private final AcceptedReportRepository repository;
    private final Queue<Accepted> pending = new ConcurrentLinkedQueue<>();
    private final Set<Accepted> unflushed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Queue<Lookup> lookups = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean lookingUp = new AtomicBoolean();

    /**
     * A report waiting for the ledger's answer, and the event loop its request runs on: the answer is handed
     * back there, so that the rest of each request does not run on the database connection's one thread.
     */
    private record Lookup(Accepted entry, CompletableFuture<Boolean> seen, Context context) {
        void answer(boolean known) {
            onRequestContext(() -> seen.complete(known));
        }

        void fail(Throwable failure) {
            onRequestContext(() -> seen.completeExceptionally(failure));
        }

        private void onRequestContext(Runnable completion) {
            if (context == null || context == Vertx.currentContext()) {
                completion.run();
            } else {
                context.runOnContext(ignored -> completion.run());
            }
        }
    }

    public AcceptedReportLedger(AcceptedReportRepository repository) {
        this.repository = repository;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(FLUSH_EVERY_MS, id -> flush());
    }

    void stop(@Observes ShutdownEvent event) {
        // Whatever is still held goes out before the service ends.
        while (!pending.isEmpty()) {
            List<Accepted> batch = drain(pending, MAX_FLUSH);
            try {
                repository.recordAll(batch).await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf(e, "%d ledger rows not written at shutdown; analytics still counts them once", batch.size());
                return;
            }
        }
    }

    public Uni<Boolean> contains(UUID deploymentId, UUID reportId) {
        Accepted entry = new Accepted(deploymentId, reportId);
        if (unflushed.contains(entry)) {
            return Uni.createFrom().item(true);
        }
        Lookup lookup = new Lookup(entry, new CompletableFuture<>(), Vertx.currentContext());
        lookups.add(lookup);
        lookUpWaiting();
        return Uni.createFrom().completionStage(lookup.seen());
    }

    /** Sends every waiting lookup in one statement, unless one is running (its end sends the next). */
    private void lookUpWaiting() {
        if (lookups.isEmpty() || !lookingUp.compareAndSet(false, true)) {
            return;
        }
        List<Lookup> batch = drain(lookups, MAX_LOOKUP);
        if (batch.isEmpty()) {
            lookingUp.set(false);
            lookUpWaiting(); // one may have arrived between the check and the flag
            return;
        }
        Uni<Set<Accepted>> found;
        try {
            found = repository.containing(batch.stream().map(Lookup::entry).toList());
        } catch (RuntimeException e) {
            found = Uni.createFrom().failure(e);
        }
        found.subscribe().with(
                seen -> {
                    lookingUp.set(false);
                    batch.forEach(each -> each.answer(seen.contains(each.entry()) || unflushed.contains(each.entry())));
                    lookUpWaiting();
                },
                failure -> {
                    lookingUp.set(false);
                    batch.forEach(each -> each.fail(failure));
                    lookUpWaiting();
                });
    }

    /** Holds a published report's id until the next flush writes it. */
    public void record(UUID deploymentId, UUID reportId) {
        Accepted entry = new Accepted(deploymentId, reportId);
        if (unflushed.add(entry)) {
            pending.add(entry);
        }
    }

    void flush() {
        if (pending.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<Accepted> batch = drain(pending, MAX_FLUSH);
        repository.recordAll(batch).subscribe().with(
                done -> {
                    batch.forEach(unflushed::remove);
                    flushing.set(false);
                },
                failure -> {
                    // PostgreSQL unreachable: keep the ids (they still answer "duplicate") and try again.
                    LOG.warnf("Ledger flush of %d ids failed (%s); retrying", batch.size(), failure.getMessage());
                    pending.addAll(batch);
                    flushing.set(false);
                });
    }

    /** Up to {@code max} entries off the queue, oldest first. */
    private static <T> List<T> drain(Queue<T> queue, int max) {
        List<T> batch = new ArrayList<>();
        T entry;
        while (batch.size() < max && (entry = queue.poll()) != null) {
            batch.add(entry);
        }
        return batch;
    }
}
