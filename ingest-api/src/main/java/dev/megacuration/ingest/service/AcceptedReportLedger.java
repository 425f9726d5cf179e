package dev.megacuration.ingest.service;

import dev.megacuration.ingest.repository.AcceptedReportRepository;
import dev.megacuration.ingest.repository.AcceptedReportRepository.Accepted;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The per-deployment ledger of published report ids, written off the response path: a report is
 * answered 202 as soon as Kafka acknowledged it, and its id joins the ledger in the next flush (every
 * 100 ms, up to 1,000 ids in one statement). Until then the id is held here, so a retry in between is
 * still answered "duplicate". A crash loses at most the last 100 ms of ids; a retry of one of those is
 * published again and dropped by analytics, which counts a report id once whatever the edge says.
 *
 * <p>Nearly every report is new, so most lookups are answered here: a Bloom filter over every id of the
 * ledger ({@link LedgerFilter}, filled from PostgreSQL at start and by every id recorded since) says "never
 * seen" for them without a database round trip. Only a "maybe" (a retry, or a false positive in about a
 * hundred) is looked up. An id that another instance recorded after this one filled its filter is taken for
 * new, published again and dropped by analytics: answered "accepted" instead of "duplicate", never counted
 * twice. The filter is built again once the retention sweep has removed a quarter of what it holds.
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
    private static final int LOAD_PAGE = 10_000;
    private static final long LOAD_RETRY_MS = 5_000;
    private static final Accepted FIRST = new Accepted(new UUID(0, 0), new UUID(0, 0));

    private final AcceptedReportRepository repository;
    private final Queue<Accepted> pending = new ConcurrentLinkedQueue<>();
    private final Set<Accepted> unflushed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Queue<Lookup> lookups = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean lookingUp = new AtomicBoolean();
    /** Every id of the ledger; null until the first fill has finished (every lookup asks the database). */
    private volatile LedgerFilter filter;
    /** The filter being filled: every id recorded meanwhile joins it as well as the one in use. */
    private volatile LedgerFilter filling;
    /** The last fill started; the next one waits for it (one walk of the table at a time). */
    private final AtomicReference<CompletableFuture<Void>> lastFill =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private final AtomicLong sweptSinceFill = new AtomicLong();
    private final AtomicLong askedDatabase = new AtomicLong();
    private volatile Vertx vertx;

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

    public AcceptedReportLedger(AcceptedReportRepository repository, MeterRegistry metrics) {
        this.repository = repository;
        metrics.gauge("megacuration.ingest.ledger.filter.ids", this, ledger -> {
            LedgerFilter known = ledger.filter;
            return known == null ? 0 : known.count();
        });
        FunctionCounter.builder("megacuration.ingest.ledger.lookups", askedDatabase, AtomicLong::get)
                .description("Report ids looked up in PostgreSQL (the filter's maybe)").register(metrics);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        this.vertx = vertx;
        vertx.setPeriodic(FLUSH_EVERY_MS, id -> flush());
        refill().subscribe().with(done -> { }, failure -> { });
    }

    /**
     * Fills a new filter with every id of the ledger, page by page, and puts it in place of the one in use
     * (which keeps answering meanwhile); completes once every row committed before the call is in the filter
     * in use. If a fill is running, this one starts after it. If PostgreSQL cannot be read, it fails, and the
     * fill is tried again in 5 s.
     */
    public Uni<Void> refill() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = lastFill.getAndSet(mine);
        return Uni.createFrom().completionStage(before).onFailure().recoverWithNull()
                .flatMap(ignored -> fillAnew())
                .onTermination().invoke((done, failure, cancelled) -> mine.complete(null));
    }

    private Uni<Void> fillAnew() {
        LedgerFilter next = new LedgerFilter();
        filling = next;
        // Held ids may reach the table behind the walk's position; they are added here instead.
        unflushed.forEach(held -> next.add(held.deploymentId(), held.reportId()));
        return fill(next, FIRST)
                .invoke(() -> {
                    filter = next;
                    sweptSinceFill.set(0);
                    LOG.debugf("Ledger filter filled: %d ids", next.count());
                })
                .onFailure().invoke(e -> {
                    LOG.warnf("Ledger filter not filled (%s); every lookup asks PostgreSQL until it is", e.toString());
                    if (vertx != null && filter == null) {
                        vertx.setTimer(LOAD_RETRY_MS, id -> refill().subscribe().with(done -> { }, again -> { }));
                    }
                })
                .eventually(() -> filling = null);
    }

    private Uni<Void> fill(LedgerFilter next, Accepted after) {
        return repository.pageAfter(after, LOAD_PAGE).flatMap(page -> {
            page.forEach(row -> next.add(row.deploymentId(), row.reportId()));
            return page.size() < LOAD_PAGE ? Uni.createFrom().voidItem() : fill(next, page.get(page.size() - 1));
        });
    }

    /** The retention sweep removed rows: once a quarter of the filter is gone, it is filled anew. */
    public void swept(long rows) {
        LedgerFilter known = filter;
        if (known != null && sweptSinceFill.addAndGet(rows) > known.count() / 4) {
            refill().subscribe().with(done -> { }, failure -> { });
        }
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

    /**
     * True when the id was certainly never recorded: not held, and not in the filled filter. False means
     * "maybe" ({@link #contains} looks it up).
     */
    public boolean isCertainlyNew(UUID deploymentId, UUID reportId) {
        LedgerFilter known = filter;
        return known != null && !known.mightContain(deploymentId, reportId)
                && !unflushed.contains(new Accepted(deploymentId, reportId));
    }

    public Uni<Boolean> contains(UUID deploymentId, UUID reportId) {
        Accepted entry = new Accepted(deploymentId, reportId);
        if (unflushed.contains(entry)) {
            return Uni.createFrom().item(true);
        }
        LedgerFilter known = filter;
        if (known != null && !known.mightContain(deploymentId, reportId)) {
            return Uni.createFrom().item(false);
        }
        askedDatabase.incrementAndGet();
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

    /** Lookups that went to PostgreSQL since start (the filter said "maybe"). */
    public long databaseLookups() {
        return askedDatabase.get();
    }

    /** Whether the id is still held for the next flush. */
    public boolean isHeld(UUID deploymentId, UUID reportId) {
        return unflushed.contains(new Accepted(deploymentId, reportId));
    }

    /** Holds a published report's id until the next flush writes it. */
    public void record(UUID deploymentId, UUID reportId) {
        Accepted entry = new Accepted(deploymentId, reportId);
        // Held first, then in the filters, the one being filled before the one in use: a refill that starts in
        // between finds the id among the held ones, and one that ends in between has made its filter the one
        // in use before it stops being the one filled.
        if (unflushed.add(entry)) {
            pending.add(entry);
        }
        LedgerFilter next = filling;
        if (next != null) {
            next.add(deploymentId, reportId);
        }
        LedgerFilter known = filter;
        if (known != null && known != next) {
            known.add(deploymentId, reportId);
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
