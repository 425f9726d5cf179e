package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.Window;
import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.analytics.support.UsageTopic.Stale;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.privacy.tier.Bucket;
import dev.megacuration.privacy.tier.Tier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The stored aggregates of closed days must answer exactly what the raw rows answer: after the builder
 * closed the seeded days (monthly sums for whole months, daily sums for the rest), after a late report made
 * a closed day dirty, and after that day's month was rebuilt. Every query is run twice, once on the sources
 * the service would pick and once on raw rows only, on the real Kafka and ClickHouse.
 */
@QuarkusTest
class RollupTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long[] SPANS = {(1L << 56), (1L << 56) | 1, (1L << 56) | 2, (2L << 56), (2L << 56) | 1};
    private static final String[] REASONS = {"outdated", "incorrect"};

    @Inject
    PublishedCellRepository cells;

    @Inject
    RollupRepository rollups;

    @Inject
    TenantPlans plans;

    @Inject
    PrivacyThreshold threshold;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "rollup-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bundle = "guide";
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final Window window = new Window(today.minusDays(80), today);
    /** The default window of the API, one of the standard windows the builder sums per span (V010). */
    private final Window standard = new Window(today.minusDays(29), today);

    @Test
    void storedAggregatesAnswerWhatRawRowsAnswerBeforeAndAfterALateReport() throws Exception {
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(WAIT);
        Random random = new Random(42);
        long rows = 0;
        try (UsageTopic topic = new UsageTopic()) {
            for (LocalDate day = window.from(); day.isBefore(today.minusDays(1)); day = day.plusDays(1)) {
                // Busy and quiet days: some hours reach k on their own, some only as a day's residual.
                int reporters = random.nextInt(9);
                for (int d = 0; d < reporters; d++) {
                    Instant hour = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * random.nextInt(3));
                    List<Expand> expands = new ArrayList<>();
                    for (long span : SPANS) {
                        if (random.nextInt(3) > 0) {
                            expands.add(new Expand(span, 1 + random.nextInt(20)));
                        }
                    }
                    List<Stale> stale = List.of(new Stale(SPANS[random.nextInt(SPANS.length)],
                            REASONS[random.nextInt(REASONS.length)]));
                    topic.report(tenant, bundle, d % 3 == 0 ? "1.0.0" : "1.1.0", "dep-" + d, hour, expands, stale);
                    rows += expands.size() + stale.size();
                }
            }
        }
        Stored.await(clickhouse, tenant, bundle, rows);
        DaySources settled = awaitSettled();
        assertFalse(settled.months().isEmpty(), "whole months are read from the monthly sums: " + settled);
        assertFalse(settled.storedDays().isEmpty(), "other closed days from the daily sums: " + settled);
        awaitStandardWindow();
        String before = assertSameAsRaw();

        // A late report about a closed day: 5 new deployments make a new published hour.
        LocalDate late = today.minusDays(20);
        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < threshold.minDeployments(); d++) {
                topic.report(tenant, bundle, "1.1.0", "late-" + d,
                        late.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600L * 20),
                        List.of(new Expand(SPANS[0], 100)), List.of());
            }
        }
        rows += threshold.minDeployments();
        Stored.await(clickhouse, tenant, bundle, rows);
        // The service reads the dirty days at most once a second.
        DaySources dirty = cells.sources(query(CellQuery.Metric.EXPANDS, null, false), threshold.minDeployments());
        for (int tries = 0; !dirty.live().contains(late) && tries < 20; tries++) {
            Thread.sleep(100);
            dirty = cells.sources(query(CellQuery.Metric.EXPANDS, null, false), threshold.minDeployments());
        }
        assertTrue(dirty.live().contains(late), "the late day is read raw until it is rebuilt: " + dirty);
        String withLate = assertSameAsRaw();
        assertNotEquals(before, withLate, "the late report shows at once");

        awaitSettled();
        awaitStandardWindow();
        assertEquals(withLate, assertSameAsRaw(), "and the rebuilt month says the same");
        assertEquals(100L * threshold.minDeployments(), Stored.number(clickhouse, "SELECT sum(expands) FROM span_pieces"
                + " WHERE tenant = ? AND day = toDate(?) AND at = toDateTime(?, 'UTC') AND published", tenant,
                late.toString(), late + " 20:00:00"), "the rebuilt pieces hold the late hour");
    }

    /**
     * Waits until the service reads the standard window's closed days from span_windows: it reads the built
     * windows again every ten seconds, in the background once they are older.
     */
    private void awaitStandardWindow() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        DaySources days = null;
        while (System.nanoTime() < deadline) {
            days = cells.sources(new CellQuery(tenant, bundle, null, CellQuery.Metric.EXPANDS, standard, false),
                    threshold.minDeployments());
            if (days.window().isPresent()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the standard window is not read from span_windows: " + days);
    }

    /** Every query the API makes, on the service's sources and on raw rows; returns all answers as text. */
    private String assertSameAsRaw() throws SQLException {
        int k = threshold.minDeployments();
        StringBuilder answers = new StringBuilder();
        // The standard window, whose closed days come from span_windows once they are clean.
        for (CellQuery.Metric metric : CellQuery.Metric.values()) {
            for (String version : new String[] {null, "1.1.0"}) {
                CellQuery query = new CellQuery(tenant, bundle, version, metric, standard, false);
                DaySources raw = DaySources.allLive(standard);
                String served = cells.top(query, k, k, 500, 0).toString();
                assertEquals(cells.top(query, k, k, 500, 0, raw).toString(), served, "top " + query);
                assertEquals(cells.top(query, k, k + 3, 2, 1, raw).toString(),
                        cells.top(query, k, k + 3, 2, 1).toString(), "top at a higher tenant k " + query);
                answers.append(served);
            }
        }
        for (CellQuery.Metric metric : CellQuery.Metric.values()) {
            for (String version : new String[] {null, "1.1.0"}) {
                for (boolean byReason : metric == CellQuery.Metric.STALE ? new boolean[] {false, true}
                        : new boolean[] {false}) {
                    CellQuery query = query(metric, version, byReason);
                    DaySources raw = DaySources.allLive(window);
                    String served = cells.top(query, k, k, 500, 0).toString();
                    assertEquals(cells.top(query, k, k, 500, 0, raw).toString(), served, "top " + query);
                    assertEquals(cells.top(query, k, k + 3, 2, 1, raw).toString(),
                            cells.top(query, k, k + 3, 2, 1).toString(), "top at a higher tenant k " + query);
                    assertEquals(cells.spans(query, 0, -1L, k, raw), cells.spans(query, 0, -1L, k), "spans " + query);
                    answers.append(served);
                }
                CellQuery query = query(metric, version, false);
                List<Long> trendSpans = new java.util.ArrayList<>();
                for (long span : SPANS) {
                    trendSpans.add(span);
                }
                trendSpans.add(null); // the whole bundle
                for (Long span : trendSpans) {
                    for (Bucket bucket : Bucket.values()) {
                        CellQuery trendQuery = (bucket == Bucket.HOUR ? new CellQuery(tenant, bundle, version, metric,
                                new Window(today.minusDays(30), today), false) : query).onlySpan(span);
                        assertEquals(cells.trend(trendQuery, bucket, k, DaySources.allLive(trendQuery.window())),
                                cells.trend(trendQuery, bucket, k), bucket + " trend of " + span);
                    }
                    CellQuery one = query.onlySpan(span);
                    assertEquals(cells.top(one, k, k, 5, 0, DaySources.allLive(window)).toString(),
                            cells.top(one, k, k, 5, 0).toString(),
                            "top of span " + span);
                }
            }
        }
        assertTrue(answers.toString().contains("SpanStat["), "something was published: " + answers);
        return answers.toString();
    }

    private CellQuery query(CellQuery.Metric metric, String version, boolean byReason) {
        return new CellQuery(tenant, bundle, version, metric, window, byReason);
    }

    /** Waits until the builder closed every closable day and rebuilt every dirty one. */
    private DaySources awaitSettled() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        DaySources days = null;
        while (System.nanoTime() < deadline) {
            days = cells.sources(query(CellQuery.Metric.EXPANDS, null, false), threshold.minDeployments());
            if (rollups.dirtyDays(tenant).isEmpty() && days.live().size() <= 3) {
                return days;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the builder never settled: " + days);
    }
}
