package dev.megacuration.deploy.bench;

import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.IngestClient;
import dev.megacuration.ingestclient.UsageReport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: the whole pipeline (ingest, Kafka, analytics, ClickHouse) at half of what it sustains, for
 * minutes. First a probe finds the pipeline's rate: reports sent closed loop for 30 s (warm JVMs, the
 * consumer running), over the time until ClickHouse holds them all (the edge alone answers faster, since
 * Kafka buffers what the consumer has not inserted); then reports are sent open-loop at half that rate, each
 * latency measured from its scheduled send time (no coordinated omission). It prints, per minute, the
 * answered rate, p50/p99 latency, the services' RSS and freshness: from a marker report's 202 to its rows in
 * ClickHouse, to the open-day refresher's first check that began after them, and to stored pieces of today
 * that hold the marker (queries read those while the last check is recent); and at the end
 * whether the count of distinct stored report ids equals the number of 202s.
 *
 * <p>Arguments: {@code minutes [reportsPerSecond]} (defaults 5, and half the probed rate).
 */
public final class Soak {
    private static final int SPANS = 20;
    private static final int DEPLOYMENTS = 50;
    private static final int SENDERS = 32;

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ServiceUrls urls = ServiceUrls.load(ServiceUrls.envFileOfCurrentInstance());
        Api api = new Api(urls);
        String bundle = "soak-" + UUID.randomUUID().toString().substring(0, 8);
        List<IngestClient> clients = clients(api, urls, bundle);
        // Probe: warm up, then the closed-loop rate with everything running.
        closedLoop(clients, bundle, 20, 7);
        requireStored(urls, bundle, TimeUnit.MINUTES.toNanos(5));
        long probeStarted = System.nanoTime();
        double answered = closedLoop(clients, bundle, 30, 1_007);
        double edge = answered / 30.0;
        // The edge answers 202 once Kafka has a report, and Kafka buffers what the consumer has not inserted:
        // the pipeline's rate is the reports of the probe over the time until ClickHouse has them all.
        requireStored(urls, bundle, TimeUnit.MINUTES.toNanos(10));
        double max = answered / ((System.nanoTime() - probeStarted) / 1e9);
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : Math.max(1, Math.floor(max / 2));
        System.out.printf("probe: the edge answered %.0f reports/s closed-loop (%d senders), the pipeline stored %.0f/s; "
                + "soak at %.0f/s for %d min%n", edge, SENDERS, max, rate, minutes);

        // Soak: open loop at the fixed rate.
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        OpenLoop soak = new OpenLoop(rate, SENDERS, random -> List.of(clients.get(random.nextInt(clients.size()))
                .send(report(random, bundle)).status()));

        System.out.println("minute  sent/s  p50_ms  p99_ms  ingest_rss_mb  analytics_rss_mb  freshness_s (rows/checked/pieces)");
        List<double[]> freshness = new ArrayList<>();
        int minute = 0;
        while (System.nanoTime() < end) {
            long minuteEnd = Math.min(end, start + TimeUnit.MINUTES.toNanos(minute + 1));
            List<double[]> fresh = new ArrayList<>();
            while (System.nanoTime() < minuteEnd - TimeUnit.SECONDS.toNanos(12)) {
                fresh.add(freshness(clients.get(0), urls, bundle));
                Thread.sleep(1_000);
            }
            Thread.sleep(Math.max(0, (minuteEnd - System.nanoTime()) / 1_000_000));
            long[] window = soak.drainLatencies();
            freshness.addAll(fresh);
            System.out.printf("%6d  %6.0f  %6.1f  %6.1f  %13s  %16s  %s%n", ++minute, window.length / 60.0,
                    LoadKit.pctMs(window, 0.5), LoadKit.pctMs(window, 0.99), LoadKit.rssMb("ingest-api"), LoadKit.rssMb("analytics"),
                    fresh.stream().map(f -> String.format("%.1f/%.1f/%.1f", f[0], f[1], f[2])).toList());
        }
        soak.close();
        ACCEPTED.addAndGet(soak.statuses().getOrDefault(202, 0L));

        // The whole run is compared, probe and markers included: the bundle is new, so every report stored
        // for it was sent here (a count taken after the probe would include the probe's reports still in
        // Kafka).
        long accepted = ACCEPTED.get();
        awaitStored(urls, bundle, TimeUnit.MINUTES.toNanos(3));
        Thread.sleep(5_000); // and nothing more arrives after that
        long stored = storedReports(urls, bundle);
        System.out.printf("statuses=%s%n", soak.statuses());
        System.out.printf("whole run (probe, soak, markers): accepted_202=%d stored_in_clickhouse=%d %s%n", accepted, stored,
                accepted == stored ? "EQUAL" : "DIFFERENT");
        // Today's stored pieces, built up by the refresher a few seconds at a time under the load, must count
        // exactly the bundle's raw rows: none missed, none counted twice.
        String ofBundle = "tenant = 'acme' AND bundle = '" + bundle + "'";
        long rawRows = clickhouse(urls, "SELECT count() FROM span_reports WHERE " + ofBundle);
        long pieceRows = clickhouse(urls, "SELECT sum(entries) FROM span_open_pieces WHERE " + ofBundle + " AND level = 0");
        System.out.printf("stored open-day pieces: raw_rows=%d rows_counted_by_leaves=%d %s%n", rawRows, pieceRows,
                rawRows == pieceRows ? "EQUAL" : "DIFFERENT");
        String[] measures = {"rows", "checked", "pieces"};
        for (int i = 0; i < measures.length; i++) {
            int column = i;
            double[] f = freshness.stream().mapToDouble(pair -> pair[column]).sorted().toArray();
            System.out.printf("freshness_s %s n=%d p50=%.1f p99=%.1f max=%.1f%n", measures[i], f.length,
                    quantile(f, 0.5), quantile(f, 0.99), quantile(f, 1));
        }
        System.exit(accepted == stored && rawRows == pieceRows ? 0 : 1);
    }

    private static final AtomicLong ACCEPTED = new AtomicLong();

    /** The nearest-rank quantile of sorted values (0 when there are none). */
    private static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Reports sent back to back by every sender for some seconds: how many were accepted. */
    private static long closedLoop(List<IngestClient> clients, String bundle, int seconds, long seed)
            throws InterruptedException {
        long accepted = LoadKit.closedLoop(seconds, SENDERS, seed, random -> List.of(
                clients.get(random.nextInt(clients.size())).send(report(random, bundle)).status()));
        ACCEPTED.addAndGet(accepted);
        return accepted;
    }

    /** The span only markers report (the load reports level-1 spans), so that its rows can be counted. */
    private static final long MARKER_SPAN = SpanId.of(2, 1);

    /**
     * Seconds from a marker report's 202 until ClickHouse has its rows; until a check of the open-day refresher
     * that began after that has been recorded; and until the stored pieces of today, which queries read while
     * that check is recent, count every raw row of the marker span that ClickHouse had then, the marker's
     * included (NaN all when the marker was refused, 60 when late).
     */
    private static double[] freshness(IngestClient client, ServiceUrls urls, String bundle) throws Exception {
        UUID id = UUID.randomUUID();
        UsageReport report = UsageReport.of(id, "acme", bundle, "1.0.0", Instant.now().truncatedTo(ChronoUnit.HOURS));
        report.expand(MARKER_SPAN, 1);
        if (client.send(report).status() != 202) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        ACCEPTED.incrementAndGet();
        long sent = System.nanoTime();
        long deadline = sent + TimeUnit.SECONDS.toNanos(60);
        String marker = "tenant = 'acme' AND bundle = '" + bundle + "' AND version = '1.0.0' AND span_id = "
                + Long.toUnsignedString(MARKER_SPAN);
        double[] seconds = {60, 60, 60};
        while (System.nanoTime() < deadline && seconds[0] == 60) {
            // Within the marker span (a prefix of the table's key): a scan of every row's report_id, ten times a
            // second, would take CPU from what is measured.
            if (clickhouse(urls, "SELECT count() FROM span_reports WHERE " + marker + " AND report_id = '" + id + "'") > 0) {
                seconds[0] = (System.nanoTime() - sent) / 1e9;
            } else {
                Thread.sleep(100);
            }
        }
        long storedAt = System.currentTimeMillis();
        long rawRows = clickhouse(urls, "SELECT count() FROM span_reports WHERE " + marker);
        while (System.nanoTime() < deadline && (seconds[1] == 60 || seconds[2] == 60)) {
            if (seconds[1] == 60 && clickhouse(urls, "SELECT count() FROM open_day_sweeps WHERE checked_at >= "
                    + "fromUnixTimestamp64Milli(toInt64(" + storedAt + "), 'UTC')") > 0) {
                seconds[1] = (System.nanoTime() - sent) / 1e9;
            }
            if (seconds[2] == 60 && clickhouse(urls, "SELECT sum(entries) FROM span_open_pieces WHERE " + marker
                    + " AND level = 0") >= rawRows) {
                seconds[2] = (System.nanoTime() - sent) / 1e9;
            }
            Thread.sleep(100);
        }
        return seconds;
    }

    /** Waits (at most {@code timeoutNanos}) until ClickHouse holds every report accepted so far; whether it does. */
    private static boolean awaitStored(ServiceUrls urls, String bundle, long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (storedReports(urls, bundle) < ACCEPTED.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private static void requireStored(ServiceUrls urls, String bundle, long timeoutNanos) throws Exception {
        if (!awaitStored(urls, bundle, timeoutNanos)) {
            throw new IllegalStateException("ClickHouse did not get the probe's reports in time");
        }
    }

    private static long storedReports(ServiceUrls urls, String bundle) throws Exception {
        return clickhouse(urls, "SELECT uniqExact(report_id) FROM span_reports WHERE tenant = 'acme' AND bundle = '" + bundle + "'");
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static long clickhouse(ServiceUrls urls, String sql) throws Exception {
        String base = urls.env().get("MC_CLICKHOUSE_URL");
        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("ClickHouse: HTTP " + reply.statusCode() + " " + reply.body());
        }
        return Long.parseLong(reply.body().strip());
    }

    private static UsageReport report(SplittableRandom random, String bundle) {
        UsageReport report = UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0",
                Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS));
        for (int i = 0; i < SPANS; i++) {
            report.expand(SpanId.of(1, random.nextInt(32_768)), 1 + random.nextInt(40));
        }
        return report;
    }

    private static List<IngestClient> clients(Api api, ServiceUrls urls, String bundle) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<IngestClient> clients = new ArrayList<>();
        for (String key : LoadKit.consentingDeployments(api, bundle, "soak-model", DEPLOYMENTS)) {
            clients.add(IngestClient.builder(URI.create(urls.ingest()), key).maxAttempts(1).httpClient(http).build());
        }
        return clients;
    }
}
