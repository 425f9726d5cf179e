package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import dev.megacuration.ingestclient.UsageReport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;

/**
 * Sustained ingest as well-behaved clients send it, while a test breaks something: a few threads, each
 * sending new reports (one expand of one span) round robin over the deployments, each thread at most one
 * request per {@link #PACE_MILLIS}, so that no deployment goes over its rate (50 a second by default): the
 * rate limiter is not what these tests break, and an unpaced sender on a fast machine meets it (429s) while
 * a fault lasts. A report refused with 503 is sent again with the same report id until it is accepted, as
 * the ingest client does; every status seen is counted. What matters afterwards is {@link #accepted()}: the
 * distinct reports that got a 202.
 */
final class SustainedSender implements AutoCloseable {
    /** 4 threads at one request per 25 ms: 160 a second over 5 deployments, 32 each, under their rate of 50. */
    private static final long PACE_MILLIS = 25;

    private final ConsentingBundle bundle;
    private final long span;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<UUID> accepted = new ConcurrentSkipListSet<>();
    private final AtomicInteger transportErrors = new AtomicInteger();
    private final Thread[] threads;

    SustainedSender(ConsentingBundle bundle, long span, int threads) {
        this.bundle = bundle;
        this.span = span;
        this.threads = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t;
            this.threads[t] = new Thread(() -> sendUntilClosed(first), "sustained-sender-" + t);
            this.threads[t].start();
        }
    }

    private void sendUntilClosed(int thread) {
        int i = thread;
        long nextSend = System.nanoTime();
        while (running.get()) {
            UsageReport report = bundle.report(span);
            String key = bundle.ingestKeys.get(i++ % bundle.ingestKeys.size());
            // Retried (same id) until accepted, even after close: a refused report is never dropped.
            while (true) {
                long wait = nextSend - System.nanoTime();
                if (wait > 0) {
                    pause(wait / 1_000_000);
                }
                nextSend = Math.max(nextSend, System.nanoTime() - PACE_MILLIS * 1_000_000) + PACE_MILLIS * 1_000_000;
                int status;
                try {
                    status = bundle.api.report(key, report.build()).status();
                } catch (RuntimeException transport) {
                    transportErrors.incrementAndGet();
                    status = -1;
                }
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status == 202) {
                    accepted.add(report.reportId());
                    break;
                }
                if (status != 503 && status != -1) {
                    break; // counted in statuses(), which the test checks: a valid report deserves no other answer
                }
                pause(200);
            }
        }
    }

    /** How often each status was seen so far (-1: no answer at all). */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> copy = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> copy.put(status, count.get()));
        return copy;
    }

    int count(int status) {
        AtomicInteger count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    /** Waits until at least {@code n} answers with {@code status} were seen, up to the timeout. */
    boolean awaitStatus(int status, int n, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (count(status) < n && System.currentTimeMillis() < deadline) {
            pause(100);
        }
        return count(status) >= n;
    }

    /** Waits until at least {@code n} distinct reports were accepted, up to the timeout. */
    boolean awaitAccepted(int n, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (accepted() < n && System.currentTimeMillis() < deadline) {
            pause(100);
        }
        return accepted() >= n;
    }

    /** Something a fault test does to the running system. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /**
     * Sustained ingest across a fault that ingest itself does not depend on: 100 reports accepted, then
     * {@code fault}, 100 more accepted meanwhile, then {@code repair}, 50 more; returns the closed sender.
     */
    static SustainedSender acrossFault(ConsentingBundle bundle, long span, Step fault, Step repair) throws Exception {
        SustainedSender sender = new SustainedSender(bundle, span, 4);
        try {
            check(sender.awaitAccepted(100, 30_000), "ingest accepts before the fault", sender);
            fault.run();
            try {
                check(sender.awaitAccepted(sender.accepted() + 100, 30_000), "ingest accepts during the fault", sender);
            } finally {
                repair.run();
            }
            check(sender.awaitAccepted(sender.accepted() + 50, 30_000), "ingest accepts after the repair", sender);
        } finally {
            sender.close();
        }
        return sender;
    }

    private static void check(boolean condition, String what, SustainedSender sender) {
        if (!condition) {
            throw new AssertionError(what + ": " + sender.statuses());
        }
    }

    /** The distinct reports accepted (202) so far. */
    int accepted() {
        return accepted.size();
    }

    /** Stops sending new reports; the ones in flight are retried until accepted. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(120_000);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
