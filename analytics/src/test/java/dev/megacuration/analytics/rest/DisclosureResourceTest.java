package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.Tokens;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.analytics.support.UsageTopic.Stale;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PieceGrid;
import dev.megacuration.privacy.threshold.PieceGrid.Entry;
import dev.megacuration.privacy.threshold.PieceGrid.Piece;
import dev.megacuration.privacy.tier.Tier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The disclosure rules through the public API on the real ClickHouse: random datasets and random queries,
 * every answer compared cell by cell with the reference model ({@link PieceGrid}, whose guarantees the
 * privacy module's property tests prove), and the classic differencing attacks spelled out.
 */
@QuarkusTest
class DisclosureResourceTest {
    private static final Logger LOG = Logger.getLogger(DisclosureResourceTest.class);
    private static final int K = 5;
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final List<String> VERSIONS = List.of("1.0.0", "2.0.0");
    private static final List<String> REASONS = List.of("outdated", "wrong", "irrelevant");

    @Inject
    TenantPlans plans;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "disclosure-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void overlappingWindowsAndVersionDiffsRevealNothingAboutALoneDeployment() throws Exception {
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(Duration.ofSeconds(10));
        String bundle = "attack";
        long span = (1L << 56) | 1;
        Instant dayBefore = hour(TODAY.minusDays(2), 9);
        Instant yesterday = hour(TODAY.minusDays(1), 9);
        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < K; d++) {
                topic.report(tenant, bundle, "1.0.0", "crowd-" + d, yesterday, List.of(new Expand(span, 10)), List.of());
            }
            // The target: alone on the day before, and alone on version 2.0.0 yesterday.
            topic.report(tenant, bundle, "1.0.0", "target", dayBefore, List.of(new Expand(span, 777)), List.of());
            topic.report(tenant, bundle, "2.0.0", "target", yesterday, List.of(new Expand(span, 555)), List.of());
        }
        Stored.await(clickhouse, tenant, bundle, K + 2);
        String token = Tokens.service();

        long longWindow = expands(token, bundle, span, TODAY.minusDays(2), null);
        long shortWindow = expands(token, bundle, span, TODAY.minusDays(1), null);
        assertEquals(K * 10, longWindow);
        assertEquals(longWindow, shortWindow, "long window minus short window would be the target's day");

        long allVersions = expands(token, bundle, span, TODAY.minusDays(1), null);
        long version1 = expands(token, bundle, span, TODAY.minusDays(1), "1.0.0");
        assertEquals(allVersions, version1, "all versions minus 1.0.0 would be the target's 2.0.0 use");
        assertEquals(-1, expands(token, bundle, span, TODAY.minusDays(1), "2.0.0"));

        JsonPath daily = given().auth().oauth2(token).queryParam("bucket", "day")
                .queryParam("from", TODAY.minusDays(3).toString())
                .get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/spans/" + span + "/trend")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("none", "below_threshold", "published", "none"), daily.getList("points.status"),
                "suppressed is not zero: the target's lone day says below threshold, not none, and no number");
        assertNull(daily.get("points[1].expands"));
    }

    @Test
    void randomDatasetsAndQueriesAgreeWithTheReferenceModel() throws Exception {
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(Duration.ofSeconds(10));
        String token = Tokens.service();
        long seed = Long.getLong("disclosure.seed", System.nanoTime());
        LOG.infof("DisclosureResourceTest seed %d (rerun with -Ddisclosure.seed=%d)", seed, seed);
        Random random = new Random(seed);
        for (int dataset = 0; dataset < 3; dataset++) {
            String bundle = "random-" + dataset;
            Map<String, List<Entry>> entries = sendRandomDataset(random, bundle);
            for (int q = 0; q < 25; q++) {
                checkRandomQuery(random, token, bundle, entries, "seed " + seed + ", dataset " + dataset + ", query " + q);
            }
        }
    }

    /** Sends reports and returns the model's entries by metric ("expands", "stale"). */
    private Map<String, List<Entry>> sendRandomDataset(Random random, String bundle) throws Exception {
        int deployments = 6 + random.nextInt(8);
        int reports = 40 + random.nextInt(80);
        Map<String, List<Entry>> entries = Map.of("expands", new ArrayList<>(), "stale", new ArrayList<>());
        long rows = 0;
        try (UsageTopic topic = new UsageTopic()) {
            for (int r = 0; r < reports; r++) {
                String deployment = "d" + random.nextInt(deployments);
                String version = VERSIONS.get(random.nextInt(2));
                Instant hour = hour(TODAY.minusDays(1 + random.nextInt(3)), random.nextInt(4) * 3);
                List<Expand> expands = new ArrayList<>();
                List<Stale> stale = new ArrayList<>();
                for (int s = 1; s <= 6; s++) {
                    long span = (1L << 56) | s;
                    if (random.nextInt(3) > 0) {
                        int count = random.nextInt(20);
                        expands.add(new Expand(span, count));
                        entries.get("expands").add(new Entry(version, span, "", hour, deployment, count));
                    }
                    if (random.nextInt(4) == 0) {
                        String reason = REASONS.get(random.nextInt(REASONS.size()));
                        stale.add(new Stale(span, reason));
                        entries.get("stale").add(new Entry(version, span, reason, hour, deployment, 1));
                    }
                }
                topic.report(tenant, bundle, version, deployment, hour, expands, stale);
                rows += expands.size() + stale.size();
            }
        }
        Stored.await(clickhouse, tenant, bundle, rows);
        return entries;
    }

    private void checkRandomQuery(Random random, String token, String bundle, Map<String, List<Entry>> entries,
                                  String where) {
        LocalDate a = TODAY.minusDays(random.nextInt(4));
        LocalDate b = TODAY.minusDays(random.nextInt(4));
        LocalDate from = a.isBefore(b) ? a : b;
        LocalDate to = a.isBefore(b) ? b : a;
        String version = random.nextBoolean() ? null : VERSIONS.get(random.nextInt(2));
        String metric = random.nextBoolean() ? "expands" : "stale";
        Predicate<Entry> filter = entry -> {
            LocalDate day = LocalDate.ofInstant(entry.hour(), ZoneOffset.UTC);
            return !day.isBefore(from) && !day.isAfter(to) && (version == null || version.equals(entry.version()));
        };
        var request = given().auth().oauth2(token).queryParam("from", from.toString()).queryParam("to", to.toString());
        if (version != null) {
            request.queryParam("version", version);
        }
        String base = "/v1/tenants/" + tenant + "/bundles/" + bundle;
        if (random.nextBoolean()) {
            boolean byReason = metric.equals("stale") && random.nextBoolean();
            // Sometimes one span's cells only (the portal's span page): the same cells as the full ranking's.
            Long only = random.nextInt(3) == 0 ? (1L << 56) | (1 + random.nextInt(6)) : null;
            if (only != null) {
                request.queryParam("span", only);
            }
            Function<Entry, Object> entryKey = byReason ? e -> List.of(e.spanId(), e.reason()) : e -> List.of(e.spanId());
            Function<Piece, Object> pieceKey = byReason ? p -> List.of(p.spanId(), p.reason()) : p -> List.of(p.spanId());
            Predicate<Entry> selected = only == null ? filter : filter.and(e -> e.spanId() == only);
            Map<Object, PieceGrid.Cell> expected =
                    PieceGrid.cells(entries.get(metric), K, K, selected,
                            byReason ? Piece::ofOneReason : piece -> true, pieceKey, entryKey);
            JsonPath answer = request.queryParam("reasons", byReason).queryParam("limit", 500)
                    .get(base + (metric.equals("expands") ? "/top-expanded" : "/stale"))
                    .then().statusCode(200).extract().jsonPath();
            Map<Object, List<Long>> published = new LinkedHashMap<>();
            expected.forEach((key, cell) -> {
                if (cell.published()) {
                    published.put(key, List.of(cell.value(), (long) cell.deployments().size()));
                }
            });
            Map<Object, List<Long>> answered = new LinkedHashMap<>();
            for (Map<String, Object> span : answer.<Map<String, Object>>getList("spans")) {
                long spanId = ((Number) span.get("spanId")).longValue();
                Object key = byReason ? List.of(spanId, span.get("reason")) : List.of(spanId);
                long value = ((Number) span.get(metric.equals("expands") ? "expands" : "staleReports")).longValue();
                long deployments = ((Number) span.get("deployments")).longValue();
                assertTrue(deployments >= K, where + ": a cell of " + deployments + " deployments");
                answered.put(key, List.of(value, deployments));
            }
            assertEquals(published, answered, where + ": ranking " + metric + " " + from + ".." + to + " " + version
                    + (only == null ? "" : " of span " + only));
        } else {
            // One span's trend, or the whole bundle's (null): every published piece of every span summed.
            Long span = random.nextInt(3) == 0 ? null : (1L << 56) | (1 + random.nextInt(6));
            String bucket = List.of("hour", "day", "week").get(random.nextInt(3));
            JsonPath answer = request.queryParam("bucket", bucket).queryParam("metric", metric)
                    .get(base + (span == null ? "/trend" : "/spans/" + span + "/trend")).then().statusCode(200)
                    .extract().jsonPath();
            Map<Instant, String> expected = expectedTrend(entries.get(metric), filter, span, bucket);
            for (Map<String, Object> point : answer.<Map<String, Object>>getList("points")) {
                Instant start = Instant.parse((String) point.get("start"));
                String status = (String) point.get("status");
                Object value = point.get(metric.equals("expands") ? "expands" : "staleReports");
                String shown = status.equals("published") ? "published " + value + " by " + point.get("deployments")
                        : status;
                assertEquals(expected.getOrDefault(start, "none"), shown,
                        where + ": trend of " + span + " by " + bucket + " at " + start + " " + version);
            }
        }
    }

    private static Map<Instant, String> expectedTrend(List<Entry> entries, Predicate<Entry> filter, Long span,
                                                      String bucket) {
        Function<Instant, Instant> start = switch (bucket) {
            case "hour" -> at -> at.truncatedTo(ChronoUnit.HOURS);
            case "day" -> at -> at.truncatedTo(ChronoUnit.DAYS);
            default -> at -> LocalDate.ofInstant(at, ZoneOffset.UTC)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
        };
        List<Entry> selected = entries.stream().filter(filter).filter(e -> span == null || e.spanId() == span).toList();
        Map<Instant, String> expected = new LinkedHashMap<>();
        selected.forEach(entry -> expected.put(start.apply(entry.hour()), "below_threshold"));
        Map<Instant, long[]> sums = new LinkedHashMap<>();
        Map<Instant, java.util.Set<String>> who = new LinkedHashMap<>();
        for (Piece piece : PieceGrid.pieces(selected, K)) {
            if (bucket.equals("hour") && piece.residual()) {
                continue; // a day's residual pieces belong to no single hour
            }
            Instant at = start.apply(piece.at());
            sums.computeIfAbsent(at, any -> new long[1])[0] += piece.value();
            who.computeIfAbsent(at, any -> new java.util.HashSet<>()).addAll(piece.deployments());
        }
        sums.forEach((at, sum) -> expected.put(at, "published " + sum[0] + " by " + who.get(at).size()));
        return expected;
    }

    /** A span's published expands in a window, or -1 when it is not in the ranking. */
    private long expands(String token, String bundle, long span, LocalDate from, String version) {
        var request = given().auth().oauth2(token).queryParam("from", from.toString());
        if (version != null) {
            request.queryParam("version", version);
        }
        JsonPath answer = request.get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/top-expanded")
                .then().statusCode(200).extract().jsonPath();
        Number value = answer.get("spans.find { it.spanId == " + span + "L }.expands");
        return value == null ? -1 : value.longValue();
    }

    private static Instant hour(LocalDate day, int hour) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour));
    }
}
