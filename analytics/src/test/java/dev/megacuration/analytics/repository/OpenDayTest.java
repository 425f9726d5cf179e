package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.Window;
import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.analytics.support.UsageTopic.Stale;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.privacy.tier.Bucket;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The stored pieces of open days (V008) must answer exactly what today's raw rows answer: once the refresher
 * stored them, after new reports arrived, and after rows were erased. Every query is run on the sources the
 * service picks (which must read today from span_open_pieces) and on raw rows only, on the real Kafka and
 * ClickHouse with the service's own refresher running.
 */
@QuarkusTest
class OpenDayTest {
    private static final long[] SPANS = {(1L << 56), (1L << 56) | 1, (1L << 56) | 2, (2L << 56)};
    private static final String[] REASONS = {"outdated", "incorrect"};

    @Inject
    PublishedCellRepository cells;

    @Inject
    PrivacyThreshold threshold;

    @Inject
    dev.megacuration.analytics.service.OpenDayRefresher refresher;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "open-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bundle = "guide";
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final Window window = new Window(today.minusDays(1), today.plusDays(1));

    @Test
    void storedOpenDaysAnswerWhatRawRowsAnswerAsReportsArriveAndAreErased() throws Exception {
        Random random = new Random(7);
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        long rows = 0;
        try (UsageTopic topic = new UsageTopic()) {
            // Hours of today so far: some reach k on their own, the rest only as the day's residuals.
            for (int d = 0; d < 12; d++) {
                Instant hour = now.minus(random.nextInt(3), ChronoUnit.HOURS);
                if (!LocalDate.ofInstant(hour, ZoneOffset.UTC).equals(today)) {
                    hour = now;
                }
                rows += report(topic, random, "dep-" + d, hour);
            }
        }
        Stored.await(clickhouse, tenant, bundle, rows);
        awaitReadFromOpenPieces();
        String first = assertSameAsRaw();

        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < threshold.minDeployments(); d++) {
                topic.report(tenant, bundle, "1.1.0", "more-" + d, now, List.of(new Expand(SPANS[0], 50)), List.of());
            }
        }
        rows += threshold.minDeployments();
        Stored.await(clickhouse, tenant, bundle, rows);
        String more = assertSameAsRaw();
        assertNotEquals(first, more, "the new reports show once their group is cut again");

        // An erasure deletes raw rows (as ErasureWorker does), then has the refresher cut its tenant again.
        rows -= Stored.number(clickhouse, "SELECT count() FROM span_reports WHERE tenant = ? AND deployment = ?",
                tenant, "more-0");
        try (Connection connection = clickhouse.getConnection();
             PreparedStatement delete = connection.prepareStatement("ALTER TABLE span_reports DELETE WHERE tenant = ? "
                     + "AND deployment = ? SETTINGS mutations_sync = 2")) {
            delete.setString(1, tenant);
            delete.setString(2, "more-0"); // its 50 expands of SPANS[0] were published
            delete.executeUpdate();
        }
        refresher.refreshTenant(tenant);
        Stored.await(clickhouse, tenant, bundle, rows);
        assertNotEquals(more, assertSameAsRaw(), "the erased rows are gone from the stored pieces too");
    }

    private long report(UsageTopic topic, Random random, String deployment, Instant hour) {
        List<Expand> expands = new ArrayList<>();
        for (long span : SPANS) {
            if (random.nextInt(3) > 0) {
                expands.add(new Expand(span, 1 + random.nextInt(20), random.nextDouble(), random.nextDouble(),
                        random.nextDouble() - 0.5));
            }
        }
        List<Stale> stale = List.of(new Stale(SPANS[random.nextInt(SPANS.length)], REASONS[random.nextInt(2)]));
        topic.report(tenant, bundle, random.nextBoolean() ? "1.0.0" : "1.1.0", deployment, hour, expands, stale);
        return expands.size() + stale.size();
    }

    /** The service reads the refresher's last check in the background; today must come from the stored pieces. */
    private void awaitReadFromOpenPieces() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        DaySources days = null;
        while (System.nanoTime() < deadline) {
            days = cells.sources(query(CellQuery.Metric.EXPANDS, null, false), threshold.minDeployments());
            if (days.openStored().contains(today)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("today is not read from the stored open-day pieces: " + days);
    }

    /** Every query the API makes, on the service's sources and on raw rows; returns all answers as text. */
    private String assertSameAsRaw() throws SQLException, InterruptedException {
        awaitReadFromOpenPieces();
        int k = threshold.minDeployments();
        DaySources raw = DaySources.allLive(window);
        StringBuilder answers = new StringBuilder();
        for (CellQuery.Metric metric : CellQuery.Metric.values()) {
            for (String version : new String[] {null, "1.1.0"}) {
                for (boolean byReason : metric == CellQuery.Metric.STALE ? new boolean[] {false, true}
                        : new boolean[] {false}) {
                    CellQuery query = query(metric, version, byReason);
                    String served = cells.top(query, k, k, 500, 0).toString();
                    assertEquals(cells.top(query, k, k, 500, 0, raw).toString(), served, "top " + query);
                    assertEquals(cells.top(query, k, k + 2, 2, 1, raw).toString(),
                            cells.top(query, k, k + 2, 2, 1).toString(), "top at a higher tenant k " + query);
                    assertEquals(cells.spans(query, 0, -1L, k, raw), cells.spans(query, 0, -1L, k), "spans " + query);
                    answers.append(served);
                }
                CellQuery query = query(metric, version, false);
                for (Long span : new Long[] {SPANS[0], null}) {
                    for (Bucket bucket : Bucket.values()) {
                        assertEquals(cells.trend(query.onlySpan(span), bucket, k, raw),
                                cells.trend(query.onlySpan(span), bucket, k), bucket + " trend of " + span);
                    }
                }
            }
        }
        assertTrue(answers.toString().contains("SpanStat["), "something was published: " + answers);
        return answers.toString();
    }

    private CellQuery query(CellQuery.Metric metric, String version, boolean byReason) {
        return new CellQuery(tenant, bundle, version, metric, window, byReason);
    }
}
