package dev.megacuration.ingest.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.ingest.service.AcceptedReportLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ledger off the response path, on the real PostgreSQL: held at once, written within its flush, and
 * known to its filter after a refill, so that only possible repeats are looked up.
 */
@QuarkusTest
class AcceptedReportLedgerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    AcceptedReportLedger ledger;

    @Inject
    Pool postgres;

    @Test
    void anIdIsADuplicateAtOnceAndInPostgresqlAfterTheNextFlush() throws Exception {
        UUID deployment = UUID.randomUUID();
        List<UUID> reports = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            reports.add(UUID.randomUUID());
        }
        assertFalse(ledger.contains(deployment, reports.get(0)).await().atMost(WAIT));
        reports.forEach(report -> ledger.record(deployment, report));
        ledger.record(deployment, reports.get(0)); // a twin: one row
        assertTrue(ledger.contains(deployment, reports.get(2499)).await().atMost(WAIT), "held before any flush");

        long deadline = System.nanoTime() + WAIT.toNanos();
        long rows = 0;
        while (System.nanoTime() < deadline && rows < reports.size()) {
            Thread.sleep(100);
            rows = postgres.preparedQuery("SELECT count(*) FROM ingest.accepted_report WHERE deployment_id = $1")
                    .execute(Tuple.of(deployment)).await().atMost(WAIT).iterator().next().getLong(0);
        }
        assertEquals(reports.size(), rows, "every id written, over several flushes of at most 1,000");
        assertTrue(ledger.contains(deployment, reports.get(1234)).await().atMost(WAIT), "and found there afterwards");
    }

    @Test
    void newIdsAreAnsweredByTheFilterWithoutAskingPostgresql() throws Exception {
        UUID deployment = UUID.randomUUID();
        ledger.refill().await().atMost(WAIT);
        long asked = ledger.databaseLookups();
        for (int i = 0; i < 1000; i++) {
            assertFalse(ledger.contains(deployment, UUID.randomUUID()).await().atMost(WAIT));
        }
        // About 0.8% of new ids are false "maybe"s of the filter, looked up to be sure.
        long lookedUp = ledger.databaseLookups() - asked;
        assertTrue(lookedUp < 50, "lookups of 1,000 new ids: " + lookedUp);

        UUID recorded = UUID.randomUUID();
        ledger.record(deployment, recorded);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && ledger.isHeld(deployment, recorded)) {
            Thread.sleep(50);
        }
        asked = ledger.databaseLookups();
        assertTrue(ledger.contains(deployment, recorded).await().atMost(WAIT), "a flushed id is still a repeat");
        assertEquals(asked + 1, ledger.databaseLookups(), "a filter's maybe is looked up in PostgreSQL");
    }

    @Test
    void concurrentLookupsAreGroupedAndEachGetsItsOwnAnswer() throws Exception {
        UUID deployment = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        List<UUID> known = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            known.add(UUID.randomUUID());
        }
        postgres.preparedQuery("INSERT INTO ingest.accepted_report (deployment_id, report_id) "
                        + "SELECT $1, unnest($2::uuid[])")
                .execute(Tuple.of(deployment, known.toArray(UUID[]::new))).await().atMost(WAIT);
        // Written behind the edge's back, as another instance would: its filter learns them in a refill
        // (before it, they would be taken for new, published again and dropped by analytics).
        ledger.refill().await().atMost(WAIT);

        // 1,800 lookups at once (more than one statement holds): the known ids, unknown ones, and the known
        // ids under another deployment (a report id is only unique per deployment).
        List<io.smallrye.mutiny.Uni<Boolean>> answers = new ArrayList<>();
        for (UUID report : known) {
            answers.add(ledger.contains(deployment, report));
            answers.add(ledger.contains(deployment, UUID.randomUUID()));
            answers.add(ledger.contains(other, report));
        }
        List<Boolean> seen = io.smallrye.mutiny.Uni.join().all(answers).andFailFast().await().atMost(WAIT);
        for (int i = 0; i < known.size(); i++) {
            assertTrue(seen.get(3 * i), "known id " + i);
            assertFalse(seen.get(3 * i + 1), "unknown id " + i);
            assertFalse(seen.get(3 * i + 2), "known id under another deployment " + i);
        }
    }
}
