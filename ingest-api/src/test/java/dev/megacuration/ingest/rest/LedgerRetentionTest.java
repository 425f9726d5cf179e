package dev.megacuration.ingest.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.ingest.repository.LedgerRetention;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ledger sweep on the real PostgreSQL: rows past the retention go, younger ones stay. */
@QuarkusTest
class LedgerRetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool postgres;

    @Inject
    LedgerRetention retention;

    @Test
    void rowsPastTheRetentionAreDeletedAndYoungerOnesKept() {
        UUID deployment = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        UUID young = UUID.randomUUID();
        insertAccepted(deployment, old, 40);
        insertAccepted(deployment, young, 30);
        postgres.preparedQuery("INSERT INTO ingest.rejection (deployment_id, report_id, status, reason, at) VALUES "
                        + "($1, $2, 403, 'old refusal', now() - interval '40 days')")
                .execute(Tuple.of(deployment, old)).await().atMost(WAIT);

        long removed = retention.sweep(Duration.ofDays(35)).await().atMost(WAIT);

        assertTrue(removed >= 2, "at least this test's two old rows went: " + removed);
        assertEquals(0, count("SELECT count(*) FROM ingest.accepted_report WHERE deployment_id = $1 AND report_id = $2",
                deployment, old));
        assertEquals(1, count("SELECT count(*) FROM ingest.accepted_report WHERE deployment_id = $1 AND report_id = $2",
                deployment, young));
        assertEquals(0, count("SELECT count(*) FROM ingest.rejection WHERE deployment_id = $1 AND report_id = $2",
                deployment, old));
    }

    private void insertAccepted(UUID deployment, UUID report, int daysAgo) {
        postgres.preparedQuery("INSERT INTO ingest.accepted_report (deployment_id, report_id, accepted_at) VALUES "
                        + "($1, $2, now() - make_interval(days => $3))")
                .execute(Tuple.of(deployment, report, daysAgo)).await().atMost(WAIT);
    }

    private long count(String sql, UUID deployment, UUID report) {
        return postgres.preparedQuery(sql).execute(Tuple.of(deployment, report)).await().atMost(WAIT)
                .iterator().next().getLong(0);
    }
}
