package dev.megacuration.analytics.bench;

import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.Window;
import dev.megacuration.analytics.repository.DaySources;
import dev.megacuration.analytics.repository.MaintenanceTarget;
import dev.megacuration.analytics.repository.PublishedCellRepository;
import dev.megacuration.analytics.repository.OpenDayRepository;
import dev.megacuration.analytics.repository.RollupRepository;
import dev.megacuration.analytics.repository.WindowRepository;
import dev.megacuration.privacy.tier.Bucket;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The analytics benchmark (a program, run by deploy/local/bench-analytics against a fresh instance):
 * <ol>
 *   <li>loads N span entries (default 100M) over 365 days for 50 bundles straight into span_reports, with a
 *       skewed density: a few bundles reported by thousands of deployments a day, a long tail of small ones,
 *       a few hot spans per bundle and a long tail, decaying spans;</li>
 *   <li>closes the 365 days with the builder's statements (piece grid, daily and monthly sums);</li>
 *   <li>times top-expanded, stale (by reason) and a span's daily trend for 30- and 365-day windows: through
 *       the service's HTTP API (what the product serves), through the same SQL on the stored aggregates, and
 *       on the raw table only;</li>
 *   <li>pushes reports through the real pipeline (Kafka, the service's consumer, ClickHouse) and compares its
 *       span entries/s with a plain JDBC bulk insert of the same rows, sampling the service's RSS meanwhile.</li>
 * </ol>
 * Configuration comes from the instance's env file (MC_* variables) and the arguments:
 * {@code entries pipelineReports iterations raw} ({@code entries} 0: keep what the instance holds, see
 * MC_BENCH_KEEP in the script; {@code raw} false: skip the raw-table timings).
 */
public final class AnalyticsBenchmark {
    private static final Logger LOG = Logger.getLogger(AnalyticsBenchmark.class.getName());
    private static final int BUNDLES = 50;
    private static final int TENANTS = 10;
    private static final int DAYS = 365;
    private static final int K = 5;
    private static final long HOT_SPAN = 1L << 56;
    private static final int SPANS_PER_REPORT = 20;
    /** Rounds of every query before the measured runs (see {@link #warmUp}). */
    private static final int WARM_UP_ROUNDS = 20;

    private final long entries;
    private final int pipelineReports;
    private final int iterations;
    /** Whether to time the raw table too (a year of it takes over a minute a query). */
    private final boolean raw;
    private final String clickhouseUrl = "jdbc:clickhouse://127.0.0.1:" + env("MC_CLICKHOUSE_HTTP_PORT") + "/default";
    private final String analyticsUrl = env("MC_ANALYTICS_URL");
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrintWriter out = new PrintWriter(System.out, true);

    private AnalyticsBenchmark(String[] args) {
        entries = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
        pipelineReports = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        // A p95 of 30 runs is their second-largest, which one stray pause moves; of 100 it is the fifth.
        iterations = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        raw = args.length <= 3 || Boolean.parseBoolean(args[3]);
    }

    public static void main(String[] args) throws Exception {
        new AnalyticsBenchmark(args).run();
    }

    private void run() throws Exception {
        SimpleDataSource clickhouse = new SimpleDataSource(clickhouseUrl);
        enterprisePlans();
        if (entries > 0) {
            load(clickhouse);
        }
        closeDays(clickhouse);
        awaitOpenDays(clickhouse);
        awaitMerges(clickhouse);
        queries(clickhouse);
        pipeline(clickhouse);
    }

    /** Every bench tenant on the enterprise plan: 365-day windows, per-version and per-reason breakdowns. */
    private void enterprisePlans() throws SQLException {
        String url = "jdbc:postgresql://" + env("MC_PG_HOST") + ":" + env("MC_PG_PORT") + "/" + env("MC_PG_DB");
        try (Connection pg = DriverManager.getConnection(url, env("MC_PG_USER"), env("MC_PG_PASSWORD"));
             PreparedStatement upsert = pg.prepareStatement("INSERT INTO privacy.tenant_plan (tenant, tier, "
                     + "updated_by) VALUES (?, 'enterprise', 'bench') ON CONFLICT (tenant) DO UPDATE SET tier = 'enterprise'")) {
            for (int t = 0; t < TENANTS; t++) {
                upsert.setString(1, "bench-t" + t);
                upsert.addBatch();
            }
            upsert.setString(1, "bench-pipeline");
            upsert.addBatch();
            upsert.executeBatch();
        }
    }

    /**
     * The bulk path: rows generated inside ClickHouse from a seeded hash of the row number, in chunks of
     * 10M rows. Bundle b draws u^3 of the rows (bundle 0 about 27%, bundle 49 under 1%); its deployment pool
     * shrinks with its rank (20,000 for bundle 0, 20 for the tail); spans are drawn u^4 over 2,000 LOD1 spans
     * (a few hot, a long tail), one in ten is a LOD2 span, and span 3's use decays over the year.
     */
    private void load(SimpleDataSource clickhouse) throws SQLException {
        long chunk = 10_000_000L;
        long started = System.nanoTime();
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            // A uniform draw in [0, 1) per row and purpose: reproducible, and independent between purposes.
            statement.execute("CREATE FUNCTION IF NOT EXISTS bench_u AS (n, k) -> sipHash64(n, k) / 18446744073709551616.0");
            for (long first = 0; first < entries; first += chunk) {
                long count = Math.min(chunk, entries - first);
                statement.execute("""
                        INSERT INTO span_reports (tenant, bundle, version, span_id, kind, expands, collapses,
                            stale_reason, deployment, report_id, window_start, window_end, received_at, retention_days)
                        SELECT concat('bench-t', toString(b %% %3$d)) AS tenant, concat('bundle-', toString(b)) AS bundle,
                               multiIf(d < 120, '1.0.0', d < 240, '1.1.0', '2.0.0') AS version,
                               if(u(5) < 0.1, bitShiftLeft(toUInt64(2), 56) + toUInt64(floor(64 * pow(u(6), 2))),
                                  bitShiftLeft(toUInt64(1), 56) + if(u(7) < 0.05 * (1 - d / %4$d), 3,
                                      toUInt64(floor(2000 * pow(u(6), 4))))) AS span_id,
                               if(u(8) < 0.1, 'stale', 'expand') AS kind,
                               if(kind = 'expand', 1 + toUInt32(floor(10 * u(9))), 0) AS expands,
                               if(kind = 'expand', toUInt32(floor(3 * u(10))), 0) AS collapses,
                               if(kind = 'stale', ['outdated', 'incorrect', 'duplicate', 'irrelevant'][1 + toUInt32(floor(4 * u(11)))], '') AS stale_reason,
                               concat('d', toString(b), '-', toString(toUInt32(floor(greatest(20, intDiv(20000, (b + 1) * (b + 1))) * pow(u(2), 2))))) AS deployment,
                               generateUUIDv4(number) AS report_id,
                               toDateTime(toDate('%5$s') - (%4$d - 1) + d, 'UTC') + 3600 * toUInt32(floor(24 * u(4))) AS window_start,
                               window_start + 3600 AS window_end, window_end AS received_at, toUInt16(1095) AS retention_days
                        FROM (SELECT number, toUInt32(floor(%6$d * pow(u(1), 3))) AS b, toUInt32(floor(%4$d * u(3))) AS d
                              FROM numbers(%1$d, %2$d))
                        """.replace("u(", "bench_u(number, ")
                        .formatted(first, count, TENANTS, DAYS, today, BUNDLES));
                LOG.info("loaded " + (first + count) + " of " + entries);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("load: %,d span entries in %.1f s (%,.0f entries/s, generated inside ClickHouse)%n", entries,
                seconds, entries / seconds);
    }

    /**
     * Closes every closable day with the builder's own statement (the service runs with its builder off, so
     * that no day is closed while the load still writes it); reports how long that took.
     */
    private void closeDays(SimpleDataSource clickhouse) throws Exception {
        long started = System.nanoTime();
        RollupRepository rollups = new RollupRepository(clickhouse, MaintenanceTarget.singleNode());
        LocalDate last = RollupRepository.lastClosableDay(Instant.now(), Duration.ofHours(6));
        int closed = 0;
        while (rollups.closeNextDay(last, K).isPresent()) {
            closed++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("rollups: %d days closed in %.1f s (%.2f s a day)%n", closed, seconds, seconds / closed);
        // The standard windows the measured queries use, as the builder builds them when a day closes.
        WindowRepository windows = new WindowRepository(clickhouse, MaintenanceTarget.singleNode());
        LocalDate open = rollups.firstOpenDay(K).orElseThrow();
        for (int days : new int[] {30, 365}) {
            Window window = new Window(today.minusDays(days - 1L), open.minusDays(1));
            if (!windows.built(K).contains(window)) {
                long built = System.nanoTime();
                windows.build(window, open, K, java.util.Optional.empty());
                out.printf("window %s: summed per span in %.1f s%n", window, (System.nanoTime() - built) / 1e9);
            }
        }
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT table, sum(rows), formatReadableSize(sum(data_compressed_bytes)) FROM system.parts
                     WHERE active AND database = 'default' AND table IN ('span_reports', 'span_pieces', 'span_daily', 'span_monthly')
                     GROUP BY table ORDER BY table""")) {
            while (rows.next()) {
                out.printf("  %-13s %,14d rows %10s%n", rows.getString(1), rows.getLong(2), rows.getString(3));
            }
        }
    }

    /**
     * Waits for the service's open-day refresher to check the open days after the load (the first check cuts
     * every group of them); reports how long that took and how many pieces the open days have.
     */
    private void awaitOpenDays(SimpleDataSource clickhouse) throws Exception {
        long started = System.nanoTime();
        Instant after = Instant.now();
        OpenDayRepository openDays = new OpenDayRepository(clickhouse, MaintenanceTarget.singleNode());
        while (openDays.lastSweep().map(sweep -> sweep.checkedAt().isBefore(after)).orElse(true)) {
            if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                throw new IllegalStateException("the service's open-day refresher recorded no check in 10 minutes");
            }
            Thread.sleep(200);
        }
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(), uniqExact(tenant, bundle, day) FROM span_open_pieces")) {
            rows.next();
            out.printf("open days: checked and stored %.1f s after the load (%,d pieces of %d groups)%n",
                    (System.nanoTime() - started) / 1e9, rows.getLong(1), rows.getLong(2));
        }
    }

    /**
     * Waits (at most ten minutes) until ClickHouse runs no merge: the load and the closes of a year just wrote
     * gigabytes of parts, which it may merge in the background for minutes after, on the same two cores. A
     * service in use has no such backlog; the run of 2026-12-07 13:36 began its timings with span_monthly not
     * yet merged (390,198 rows where a merged one has 357,923). Reports the wait.
     */
    private void awaitMerges(SimpleDataSource clickhouse) throws Exception {
        long started = System.nanoTime();
        long merging;
        do {
            try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count() FROM system.merges")) {
                rows.next();
                merging = rows.getLong(1);
            }
            if (merging > 0) {
                Thread.sleep(1000);
            }
        } while (merging > 0 && System.nanoTime() - started < Duration.ofMinutes(10).toNanos());
        out.printf("merges: %s after %.0f s%n", merging == 0 ? "none running" : merging + " still running",
                (System.nanoTime() - started) / 1e9);
    }

    private void queries(SimpleDataSource clickhouse) throws Exception {
        PublishedCellRepository cells = new PublishedCellRepository(clickhouse,
                new RollupRepository(clickhouse, MaintenanceTarget.singleNode()),
                new OpenDayRepository(clickhouse, MaintenanceTarget.singleNode()),
                new WindowRepository(clickhouse, MaintenanceTarget.singleNode()), Duration.ofSeconds(10));
        String token = serviceToken();
        List<Row> rows = new ArrayList<>();
        for (int bundle : new int[] {0, 25}) {
            String tenant = "bench-t" + (bundle % TENANTS);
            String name = "bundle-" + bundle;
            for (int days : new int[] {30, 365}) {
                Window window = new Window(today.minusDays(days - 1L), today);
                String range = "from=" + window.from() + "&to=" + window.to();
                CellQuery top = new CellQuery(tenant, name, null, CellQuery.Metric.EXPANDS, window, false);
                CellQuery stale = new CellQuery(tenant, name, null, CellQuery.Metric.STALE, window, true);
                String base = analyticsUrl + "/v1/tenants/" + tenant + "/bundles/" + name;
                rows.add(new Row(name + " top-expanded (20)", days,
                        () -> get(base + "/top-expanded?limit=20&" + range, token),
                        () -> cells.top(top, K, K, 20, 0),
                        () -> cells.top(top, K, K, 20, 0, DaySources.allLive(window))));
                rows.add(new Row(name + " stale by reason (20)", days,
                        () -> get(base + "/stale?reasons=true&limit=20&" + range, token),
                        () -> cells.top(stale, K, K, 20, 0),
                        () -> cells.top(stale, K, K, 20, 0, DaySources.allLive(window))));
                rows.add(new Row(name + " span trend (daily)", days,
                        () -> get(base + "/spans/" + Long.toUnsignedString(HOT_SPAN) + "/trend?bucket=day&" + range, token),
                        () -> cells.trend(top.onlySpan(HOT_SPAN), Bucket.DAY, K),
                        () -> cells.trend(top.onlySpan(HOT_SPAN), Bucket.DAY, K, DaySources.allLive(window))));
            }
        }
        warmUp(rows);
        out.printf("%nqueries (%d runs each after 3 warm-ups, raw table %d; ms p50 / p95)%n", iterations, Math.min(iterations, 5));
        out.printf("%-34s %-8s %16s %16s %16s%n", "query", "window", "HTTP (product)", "stored SQL", "raw table SQL");
        for (Row row : rows) {
            measure(row);
        }
    }

    /** One line of the query table: what the product serves, the same SQL in this process, the raw table. */
    private record Row(String name, int days, Work http, Work stored, Work raw) {
    }

    /**
     * The service has just started: its first requests run interpreted and JIT-compiled code, the driver's and
     * Jackson's paths among them, and were 45-60 ms where the same request takes 33-37 ms warm. Every query is
     * asked {@link #WARM_UP_ROUNDS} times in turn first (a service in use is warm), and what those requests
     * took is printed too, so that a cold service's numbers stay in the results.
     */
    private void warmUp(List<Row> rows) throws Exception {
        double[] ms = new double[WARM_UP_ROUNDS * rows.size()];
        StringBuilder first = new StringBuilder();
        int n = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            for (Row row : rows) {
                long started = System.nanoTime();
                row.http().call();
                ms[n] = (System.nanoTime() - started) / 1e6;
                if (round == 0) {
                    first.append(first.isEmpty() ? "" : ", ").append(String.format("%.0f", ms[n]));
                }
                n++;
                row.stored().call();
            }
        }
        Arrays.sort(ms);
        out.printf("%nwarm-up: %d rounds of the %d queries first; their HTTP p50 / p95 %.1f / %.1f ms, the first "
                + "round's (the service's first requests, in the order of the table) %s ms%n", WARM_UP_ROUNDS,
                rows.size(), ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.95) - 1], first);
    }

    @FunctionalInterface
    private interface Work {
        Object call() throws Exception;
    }

    private void measure(Row row) throws Exception {
        // The raw table takes seconds for a year: fewer runs there.
        out.printf("%-34s %-8s %16s %16s %16s%n", row.name(), row.days() + "d", time(row.http(), iterations),
                time(row.stored(), iterations), raw ? time(row.raw(), Math.min(iterations, 5)) : "not run");
    }

    private String time(Work work, int iterations) throws Exception {
        for (int i = 0; i < Math.min(3, iterations); i++) {
            work.call();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long started = System.nanoTime();
            work.call();
            ms[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(ms);
        return String.format("%.1f / %.1f", ms[iterations / 2], ms[(int) Math.ceil(iterations * 0.95) - 1]);
    }

    private String get(String url, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String serviceToken() throws Exception {
        String form = "grant_type=client_credentials&client_id=megacuration-service&client_secret="
                + URLEncoder.encode("service-secret", StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(env("MC_KEYCLOAK_URL")
                        + "/realms/megacuration/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        int start = body.indexOf("\"access_token\":\"") + 16;
        return body.substring(start, body.indexOf('"', start));
    }

    /**
     * The real pipeline against a plain bulk insert of the same rows: reports go to Kafka as fast as the
     * producer can send them, and the clock stops when ClickHouse holds all their entries; the service's RSS
     * is sampled meanwhile. Then the same rows, one JDBC batch insert per 2,000 reports.
     */
    private void pipeline(SimpleDataSource clickhouse) throws Exception {
        String tenant = "bench-pipeline";
        long expected = (long) pipelineReports * SPANS_PER_REPORT;
        List<String> events = new ArrayList<>(pipelineReports);
        Instant hour = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int r = 0; r < pipelineReports; r++) {
            events.add(event(UUID.randomUUID(), tenant, "bundle-" + (r % 5), "d" + (r % 2000), hour, r));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("MC_KAFKA_BOOTSTRAP"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long pid = Long.parseLong(Files.readString(Path.of(env("MC_STATE_DIR"), "pids", "analytics.pid")).strip());
        long peakRss = 0;
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String event : events) {
                sent.add(producer.send(new ProducerRecord<>("usage-reports", tenant, event)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
        double produced = (System.nanoTime() - started) / 1e9;
        long stored = 0;
        while (stored < expected) {
            peakRss = Math.max(peakRss, rssKb(pid));
            Thread.sleep(200);
            stored = count(clickhouse, tenant);
            if (System.nanoTime() - started > Duration.ofMinutes(20).toNanos()) {
                throw new IllegalStateException("the pipeline stored only " + stored + " of " + expected);
            }
        }
        double pipelineSeconds = (System.nanoTime() - started) / 1e9;
        out.printf("%npipeline: %,d reports (%,d span entries) sent to Kafka in %.1f s, all in ClickHouse after %.1f s: "
                        + "%,.0f entries/s; analytics RSS peak %d MB%n", pipelineReports, expected, produced,
                pipelineSeconds, expected / pipelineSeconds, peakRss / 1024);
        started = System.nanoTime();
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO span_reports (tenant, bundle, version, span_id, kind, expands, collapses, stale_reason,
                         deployment, report_id, window_start, window_end, received_at, retention_days)
                     VALUES (?, ?, '1.0.0', ?, 'expand', ?, 1, '', ?, ?, toDateTime(?, 'UTC'), toDateTime(?, 'UTC'),
                             toDateTime(?, 'UTC'), 1095)""")) {
            String start = hour.toString().replace("T", " ").replace("Z", "");
            String end = hour.plusSeconds(3600).toString().replace("T", " ").replace("Z", "");
            for (int r = 0; r < pipelineReports; r++) {
                UUID id = UUID.randomUUID();
                for (int s = 0; s < SPANS_PER_REPORT; s++) {
                    insert.setString(1, "bench-bulk");
                    insert.setString(2, "bundle-" + (r % 5));
                    insert.setString(3, Long.toUnsignedString(HOT_SPAN + s));
                    insert.setInt(4, 1 + s);
                    insert.setString(5, "d" + (r % 2000));
                    insert.setObject(6, id);
                    insert.setString(7, start);
                    insert.setString(8, end);
                    insert.setString(9, end);
                    insert.addBatch();
                }
                if ((r + 1) % 2000 == 0 || r == pipelineReports - 1) {
                    insert.executeBatch();
                }
            }
        }
        double bulkSeconds = (System.nanoTime() - started) / 1e9;
        out.printf("bulk insert: the same %,d rows by JDBC batches of %,d rows in %.1f s: %,.0f entries/s%n", expected,
                2000 * SPANS_PER_REPORT, bulkSeconds, expected / bulkSeconds);
    }

    private static String event(UUID id, String tenant, String bundle, String deployment, Instant hour, int r) {
        StringBuilder spans = new StringBuilder();
        for (int s = 0; s < SPANS_PER_REPORT; s++) {
            spans.append(s == 0 ? "" : ",").append("{\"spanId\":").append(Long.toUnsignedString(HOT_SPAN + s))
                    .append(",\"expands\":").append(1 + s).append(",\"collapses\":1,\"residency\":0.5,\"swapRate\":0.2,")
                    .append("\"deltaNll\":0.04,\"deltaNllHorizon\":64,\"lastAccessStep\":99,\"accessCount\":12}");
        }
        return """
                {"schemaVersion":2,"reportId":"%s","tenant":"%s","bundle":"%s","version":"1.0.0","deployment":"%s",
                 "windowStart":"%s","windowEnd":"%s","receivedAt":"%s","spans":[%s],"stale":[]}"""
                .formatted(id, tenant, bundle, deployment, hour, hour.plusSeconds(3600), hour.plusSeconds(3600), spans);
    }

    private static long count(SimpleDataSource clickhouse, String tenant) throws SQLException {
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count() FROM span_reports WHERE tenant = ?")) {
            query.setString(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run this through deploy/local/bench-analytics");
        }
        return value;
    }

    /**
     * A DataSource over the JDBC driver, for code that takes one (the repositories) outside CDI. Like the
     * service's pool it keeps the connections it opened for the next caller, so that the "stored SQL" column
     * times the statements and not also a new connection each (the driver asks the server for its version
     * on every new one).
     */
    private static final class SimpleDataSource implements javax.sql.DataSource {
        private final String url;
        private final java.util.concurrent.ConcurrentLinkedQueue<Connection> idle =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        SimpleDataSource(String url) {
            this.url = url;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection kept = idle.poll();
            Connection connection = kept != null && !kept.isClosed() ? kept
                    : DriverManager.getConnection(url, "default", "");
            java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            if (returned.compareAndSet(false, true)) {
                                idle.add(connection);
                            }
                            return null;
                        }
                        try {
                            return method.invoke(connection, arguments);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter writer) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return LOG;
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
