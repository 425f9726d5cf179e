package dev.megacuration.deploy.bench;

import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.IngestClient;
import dev.megacuration.ingestclient.UsageReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator for the ingest edge: many consenting deployments sending a realistic mix of single
 * reports and batches, half of them gzip-compressed, through the reference client, against a running
 * instance (deploy/local/bench starts one). Prints throughput, latency percentiles and the service's RSS.
 *
 * <p>Arguments: {@code seconds threads deployments spansPerReport batchShare batchSize warmupSeconds
 * bigBatchReports bigBatchSpans phases} (defaults 30 16 50 20 0.3 10 30 100 50 all; the warm-up is shared by
 * the paths, untimed). {@code bigBatchReports} and {@code bigBatchSpans} shape the batched phase: the edge's rate
 * in span entries for full batches (a report entry with every statistic is about 170 bytes of JSON: 100 x 50 is
 * 0.85 MB, under the 1 MiB limit). {@code phases} is {@code all}, or {@code batches} for the batched phase alone
 * (to work on that path without the quarter of an hour of the others).
 */
public final class IngestLoad {
    private static final String BUNDLE = "bench-bundle";
    private static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int seconds = arg(args, 0, 30);
        int threads = arg(args, 1, 16);
        int deployments = arg(args, 2, 50);
        int spansPerReport = arg(args, 3, 20);
        double batchShare = args.length > 4 ? Double.parseDouble(args[4]) : 0.3;
        int batchSize = arg(args, 5, 10);
        int warmupSeconds = arg(args, 6, 30);
        int bigBatchReports = arg(args, 7, 100);
        int bigBatchSpans = arg(args, 8, 50);
        boolean allPhases = args.length <= 9 || !"batches".equals(args[9]);

        LoadKit.RssPeak rss = new LoadKit.RssPeak("ingest-api");
        ServiceUrls urls = ServiceUrls.load(ServiceUrls.envFileOfCurrentInstance());
        Api api = new Api(urls);
        List<String> keys = LoadKit.consentingDeployments(api, BUNDLE, "bench-model", deployments);
        // One connection pool for all simulated deployments, each with a gzip and a plain client; no
        // retries, so every answer counts as it came.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<IngestClient> clients = new ArrayList<>();
        for (String key : keys) {
            for (boolean gzip : new boolean[] {false, true}) {
                clients.add(IngestClient.builder(URI.create(urls.ingest()), key).gzip(gzip).maxAttempts(1)
                        .httpClient(http).build());
            }
        }

        URI bare = URI.create(urls.ingest() + "/v1/baseline/reports");
        System.out.printf("duration_s=%d threads=%d deployments=%d spans_per_report=%d batch_share=%.2f batch_size=%d"
                        + " warmup_s=%d%n", seconds, threads, deployments, spansPerReport, batchShare, batchSize, warmupSeconds);
        LoadKit.Request mixed = random -> {
            IngestClient client = clients.get(random.nextInt(clients.size()));
            if (random.nextDouble() < batchShare) {
                List<UsageReport> sent = new ArrayList<>();
                for (int r = 0; r < batchSize; r++) {
                    sent.add(report(random, spansPerReport));
                }
                return client.sendBatch(sent).stream().map(IngestClient.Result::status).toList();
            }
            return List.of(client.send(report(random, spansPerReport)).status());
        };
        // The edge and the bare endpoint are sent single reports by the same code: the same JSON bytes on the
        // same connections, the answer read as its status only, so that the ratio of the two is the service's
        // own (through the reference client, the edge's side also paid for parsing every answer's body: 44 us
        // of the generator's CPU per request more than the bare side, on a 2-core machine that both share).
        URI edgeUri = URI.create(urls.ingest() + "/v1/reports");
        LoadKit.Request single = random -> List.of(post(http, edgeUri, keys.get(random.nextInt(keys.size())),
                report(random, spansPerReport)));
        LoadKit.Request bareSingle = random -> List.of(post(http, bare, null, report(random, spansPerReport)));
        // A fresh JVM spends its first tens of seconds compiling (on 2 cores the C2 thread alone took a
        // third of a core): every path is run untimed first, so the phases compare steady states.
        if (allPhases) {
            if (warmupSeconds > 0) {
                for (LoadKit.Request path : List.of(mixed, single, bareSingle)) {
                    LoadKit.closedLoop(Math.max(1, warmupSeconds / 3), threads, 1_000, path);
                }
            }
            singleReportPhases(seconds, threads, mixed, single, bareSingle, spansPerReport, rss);
        }
        // Full batches (a deployment catching up, or a gateway sending for many): the edge's rate in span
        // entries. Every request carries new report ids, written into a body encoded once per thread, so that
        // the generator's own encoding does not take the cores it shares with the edge; plain JSON, as gzip
        // would cost the generator more than the edge (the mixed phase above sends gzip).
        List<String> batchKeys = keys;
        URI batchUri = URI.create(urls.ingest() + "/v1/reports:batch");
        ThreadLocal<BatchTemplate> templates = ThreadLocal.withInitial(() -> new BatchTemplate(
                new SplittableRandom(Thread.currentThread().getId()), bigBatchReports, bigBatchSpans));
        LoadKit.Request bigBatch = random -> {
            byte[] body = templates.get().withNewIds(random);
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(batchUri)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + batchKeys.get(random.nextInt(batchKeys.size())))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            // 202: every report accepted; anything else is counted as that status for each.
            return java.util.Collections.nCopies(bigBatchReports, response.statusCode());
        };
        // Alone, the batches get the whole warm-up: after the other phases most of the path is compiled already
        // (the same code measured 400,250 span entries/s alone after a third of it, 553,000 after every phase).
        LoadKit.closedLoop(Math.max(1, allPhases ? warmupSeconds / 3 : warmupSeconds), threads, 2_000, bigBatch);
        measure(String.format("edge, batches of %d reports x %d spans, plain JSON (every rule)", bigBatchReports,
                bigBatchSpans), seconds, threads, bigBatch, bigBatchSpans);
        // The same after full batches, the heaviest requests the edge takes.
        System.out.printf("ingest_rss_mb_after_batches=%s peak=%s%n", LoadKit.rssMb("ingest-api"), rss.peakMb());
        rss.close();
    }

    /**
     * The phases of single reports: the mixed load, the edge against the bare endpoint for three rounds, and
     * both at half the edge's maximum rate; then the service's RSS after them.
     */
    private static void singleReportPhases(int seconds, int threads, LoadKit.Request mixed, LoadKit.Request single,
                                           LoadKit.Request bareSingle, int spansPerReport, LoadKit.RssPeak rss)
            throws Exception {
        // The mix the issue describes: many deployments, single reports and batches, half of them gzip.
        measure("edge, mixed (every rule)", seconds, threads, mixed, spansPerReport);
        // Single plain-JSON reports, against the same reports through the bare parse-and-send endpoint. The two
        // alternate for three rounds: on a shared 2-core machine the rate drifts by a third between minutes
        // (other tenants of the host, merges, compilation), and alternating puts the drift on both sides.
        double[] edge = new double[ROUNDS];
        double[] ratio = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            edge[round] = measure("edge, single reports (every rule), round " + (round + 1), seconds, threads, single,
                    spansPerReport);
            ratio[round] = edge[round] / measure("bare parse-and-send, single reports, round " + (round + 1), seconds,
                    threads, bareSingle, spansPerReport);
        }
        Arrays.sort(ratio);
        Arrays.sort(edge);
        System.out.printf("%nedge_vs_bare median=%.0f%% (rounds: %.0f%%, %.0f%%, %.0f%%)%n", 100 * ratio[ROUNDS / 2],
                100 * ratio[0], 100 * ratio[1], 100 * ratio[2]);
        // The latency target is set at half the maximum rate, sent open-loop as independent clients send.
        halfRate("edge, single reports at half the median maximum rate (open loop)", edge[ROUNDS / 2] / 2, seconds,
                threads, single);
        // The same rate through the bare endpoint: what of the tail is the edge's, and what is the machine's
        // (the load generator, Kafka and PostgreSQL share its 2 cores).
        halfRate("bare parse-and-send, single reports at the same rate (open loop)", edge[ROUNDS / 2] / 2, seconds,
                threads, bareSingle);
        // After the phases of single reports and the mixed load, and the highest of the samples taken twice a
        // second through them.
        System.out.printf("ingest_rss_mb=%s peak=%s%n", LoadKit.rssMb("ingest-api"), rss.peakMb());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Single reports at a fixed rate; latency from each request's scheduled time. */
    private static void halfRate(String mode, double perSecond, int seconds, int threads, LoadKit.Request request)
            throws InterruptedException {
        long[] latencies;
        Map<Integer, Long> statuses;
        try (OpenLoop loop = new OpenLoop(perSecond, threads, request)) {
            Thread.sleep(seconds * 1000L);
            latencies = loop.drainLatencies();
            statuses = loop.statuses();
        }
        System.out.printf("%n[%s]%n", mode);
        System.out.printf("requests_per_s=%.0f (scheduled %.0f)%n", latencies.length / (double) seconds, perSecond);
        System.out.printf("latency_ms p50=%.2f p99=%.2f p999=%.2f max=%.2f%n", LoadKit.pctMs(latencies, 0.50),
                LoadKit.pctMs(latencies, 0.99), LoadKit.pctMs(latencies, 0.999),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
        System.out.printf("statuses=%s%n", statuses);
    }

    /** Runs a closed loop and prints what it measured; returns the requests per second. */
    private static double measure(String mode, int seconds, int threads, LoadKit.Request request, int spansPerReport)
            throws InterruptedException {
        AtomicLong requests = new AtomicLong();
        AtomicLong reports = new AtomicLong();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] own = new long[4_000_000];
            latencies.add(own);
            int thread = t;
            Thread worker = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(thread);
                int n = 0;
                while (System.nanoTime() < deadline && n < own.length - 1) {
                    long start = System.nanoTime();
                    List<Integer> results;
                    try {
                        results = request.send(random);
                    } catch (Exception e) {
                        results = List.of(-1);
                    }
                    own[n++] = System.nanoTime() - start;
                    requests.incrementAndGet();
                    for (int status : results) {
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        if (status == 202) {
                            reports.incrementAndGet();
                        }
                    }
                }
                own[own.length - 1] = n; // how many slots this thread filled
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long[] all = latencies.stream().flatMapToLong(own -> Arrays.stream(own, 0, (int) own[own.length - 1]))
                .sorted().toArray();
        System.out.printf("%n[%s]%n", mode);
        System.out.printf("requests_per_s=%.0f reports_per_s=%.0f span_entries_per_s=%.0f%n",
                requests.get() / (double) seconds, reports.get() / (double) seconds,
                reports.get() * (double) spansPerReport / seconds);
        System.out.printf("latency_ms p50=%.2f p99=%.2f p999=%.2f max=%.2f%n", LoadKit.pctMs(all, 0.50), LoadKit.pctMs(all, 0.99),
                LoadKit.pctMs(all, 0.999), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.printf("statuses=%s%n", new TreeMap<>(statuses));
        return requests.get() / (double) seconds;
    }

    /** One report as plain JSON, with the deployment's key when given; the answer's status. */
    private static int post(HttpClient http, URI uri, String key, UsageReport report) throws Exception {
        byte[] body = JSON.writeValueAsBytes(report.build());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static UsageReport report(SplittableRandom random, int spans) {
        UsageReport report = UsageReport.of(UUID.randomUUID(), "acme", BUNDLE, "1.0.0",
                Instant.now().minus(1, ChronoUnit.DAYS));
        for (int i = 0; i < spans; i++) {
            report.expand(SpanId.of(1, random.nextInt(32_768)), 1 + random.nextInt(40));
        }
        return report;
    }

    /** A batch body encoded once; every copy gets new random report ids (version 4), so each report is new. */
    private static final class BatchTemplate {
        private final byte[] body;
        private final int[] idOffsets;

        BatchTemplate(SplittableRandom random, int reports, int spans) {
            List<Map<String, Object>> built = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < reports; r++) {
                UsageReport report = report(random, spans);
                built.add(report.build());
                ids.add(report.reportId().toString());
            }
            try {
                body = JSON.writeValueAsBytes(Map.of("reports", built));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
            idOffsets = new int[ids.size()];
            int from = 0;
            for (int i = 0; i < ids.size(); i++) {
                idOffsets[i] = text.indexOf(ids.get(i), from);
                from = idOffsets[i] + 36;
            }
        }

        byte[] withNewIds(SplittableRandom random) {
            byte[] copy = body.clone();
            for (int offset : idOffsets) {
                UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                        (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
                byte[] text = id.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                System.arraycopy(text, 0, copy, offset, text.length);
            }
            return copy;
        }
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
