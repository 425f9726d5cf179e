package dev.megacuration.deploy.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests sent at a fixed rate whatever the pace of the answers (an open loop, as many independent clients
 * send), each latency measured from the request's scheduled time: a slow answer delays none of the next
 * sends, so it cannot hide behind them (no coordinated omission).
 */
final class OpenLoop implements AutoCloseable {
    private final ExecutorService senders;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    OpenLoop(double perSecond, int senderThreads, LoadKit.Request request) {
        senders = Executors.newFixedThreadPool(senderThreads);
        long periodNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        AtomicLong scheduled = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // Catch up on every send whose time has come (the ticker may run late under load).
            while (start + scheduled.get() * periodNanos <= now) {
                long due = start + scheduled.getAndIncrement() * periodNanos;
                senders.execute(() -> {
                    List<Integer> answers;
                    try {
                        answers = request.send(new SplittableRandom(due));
                    } catch (Exception e) {
                        answers = List.of(-1);
                    }
                    latencies.add(System.nanoTime() - due);
                    answers.forEach(status -> statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet());
                });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
    }

    /** The latencies (ns, sorted) of the requests answered since the previous call. */
    long[] drainLatencies() {
        synchronized (latencies) {
            long[] window = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            latencies.clear();
            return window;
        }
    }

    /** How many reports got each status so far (-1: no answer). */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> copy = new TreeMap<>();
        statuses.forEach((status, count) -> copy.put(status, count.get()));
        return copy;
    }

    /** Stops scheduling and waits for the requests in flight. */
    @Override
    public void close() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
    }
}
