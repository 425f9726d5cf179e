package dev.megacuration.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** What the load programs (IngestLoad, Soak) share: the set-up, a closed loop, and what they read off. */
final class LoadKit {
    private LoadKit() {
    }

    /** One request: the statuses of the reports it carried. */
    @FunctionalInterface
    interface Request {
        List<Integer> send(SplittableRandom random) throws Exception;
    }

    /** Registers a demo release of {@code bundle} (once per instance) and consenting deployments; their keys. */
    static List<String> consentingDeployments(Api api, String bundle, String model, int deployments) throws Exception {
        Path dir = Files.createTempDirectory("load-release");
        new DemoBundleGenerator(1 << 20, 16, model, 42).writeTo(dir);
        api.uploadRelease(api.token("alice", "alice"), "acme", bundle, "1.0.0", dir).requireStatus(201, 409);
        String carol = api.token("carol", "carol");
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < deployments; d++) {
            JsonNode deployment = api.registerDeployment(carol, bundle + "-" + d).requireStatus(201).body();
            api.setConsent(carol, deployment.get("id").asText(), "acme", bundle, true).requireStatus(200);
            keys.add(deployment.get("ingestKey").asText());
        }
        return keys;
    }

    /** Every thread sends back to back for some seconds; how many reports were answered 202. */
    static long closedLoop(int seconds, int threads, long seed, Request request) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong accepted = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(seed + t);
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        accepted.addAndGet(request.send(random).stream().filter(status -> status == 202).count());
                    } catch (Exception e) {
                        // an unanswered request is simply not accepted
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return accepted.get();
    }

    /** A local service's resident memory in MB (from its pid file in the instance's state dir), or "?". */
    static String rssMb(String service) {
        try {
            String pid = Files.readString(Path.of(System.getenv("MC_STATE_DIR"), "pids", service + ".pid")).strip();
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024))
                    .findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    /**
     * A local service's resident memory sampled twice a second while a benchmark runs: the highest value is
     * what the service needed at its busiest, whatever it handed back afterwards.
     */
    static final class RssPeak implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "rss-sampler");
                    thread.setDaemon(true);
                    return thread;
                });
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong(-1);

        RssPeak(String service) {
            sampler.scheduleAtFixedRate(() -> {
                String now = rssMb(service);
                if (!now.equals("?")) {
                    peak.accumulateAndGet(Long.parseLong(now), Math::max);
                }
            }, 0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** The highest sample so far, or "?" when none could be read. */
        String peakMb() {
            long mb = peak.get();
            return mb < 0 ? "?" : String.valueOf(mb);
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }

    /** The p-quantile of sorted nanosecond latencies, in milliseconds. */
    static double pctMs(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
