package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness on the running system: a report is visible in the analytics API within 5 s of its 202, both about
 * today (an open day: the refresher adds it to the day's stored pieces) and about a day closed already (a late
 * report: its day is read from raw rows until the builder rebuilds it).
 */
@ExtendWith(LocalServices.class)
class FreshnessE2ETest {
    private static final long SPAN = SpanId.of(1, 2);

    @Test
    void aReportAboutTodayIsVisibleInQueriesWithinFiveSecondsOfIts202(Api api, @TempDir Path dir) throws Exception {
        assertFresh(ConsentingBundle.create(api, dir, "freshness", 5), Instant.now());
    }

    @Test
    void aLateReportIsVisibleInQueriesWithinFiveSecondsOfIts202(Api api, @TempDir Path dir) throws Exception {
        // Four days back: closed at any hour (a day closes six hours after it ended), inside the default window.
        assertFresh(ConsentingBundle.create(api, dir, "freshness-late", 5), Instant.now().minus(Duration.ofDays(4)));
    }

    private static void assertFresh(ConsentingBundle bundle, Instant day) throws Exception {
        Api api = bundle.api;
        for (int d = 0; d < 5; d++) { // below 5 deployments the span is not published at all
            api.report(bundle.ingestKeys.get(d), bundle.report(SPAN, day).build()).requireStatus(202);
        }
        long visible = bundle.awaitExpands(SPAN, 5);
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            api.report(bundle.ingestKeys.get(i % 5), bundle.report(SPAN, day).build()).requireStatus(202);
            long acceptedAt = System.nanoTime();
            while (bundle.expands(SPAN) < visible + 1 && System.nanoTime() - acceptedAt < 30_000_000_000L) {
                Thread.sleep(20);
            }
            latencies.add((System.nanoTime() - acceptedAt) / 1_000_000);
            visible++;
        }
        latencies.sort(null);
        long p50 = latencies.get(latencies.size() / 2);
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        System.out.printf("freshness (%s): 202 -> visible in the analytics API, %d reports: p50 %d ms, p99 %d ms, max %d ms%n",
                LocalDate.ofInstant(day, ZoneOffset.UTC), latencies.size(), p50, p99, latencies.get(latencies.size() - 1));
        assertTrue(p99 <= 5000, "p99 " + p99 + " ms: " + latencies);
    }
}
