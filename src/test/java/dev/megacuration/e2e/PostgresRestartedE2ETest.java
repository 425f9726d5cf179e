package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted with the services left running, on servers of this test's own: the edge answers 503
 * meanwhile (never a 202 on a consent it could not read, never a 500), recovers by itself, and no consent
 * decision made after the restart is skipped.
 */
@ExtendWith(OwnInstance.class)
class PostgresRestartedE2ETest {
    private static final long SPAN = SpanId.of(1, 4);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void ingestAnswers503MeanwhileAndRecoversWithoutARestart(Api api, LocalInstance servers, @TempDir Path dir)
            throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "postgres-fault", 1);
        assertEquals(202, send(bundle));

        servers.script("postgres.sh", "stop");
        Map<Integer, Integer> during = new HashMap<>();
        try {
            // Past the 2 s credential and consent caches, every report needs PostgreSQL.
            Thread.sleep(2_500);
            for (int i = 0; i < 5; i++) {
                Api.Reply reply = api.report(bundle.ingestKeys.get(0), bundle.report(SPAN).build());
                during.merge(reply.status(), 1, Integer::sum);
                if (reply.status() == 503) {
                    assertEquals("application/problem+json", reply.contentType().split(";")[0]);
                }
            }
        } finally {
            servers.script("postgres.sh", "start");
        }
        assertEquals(Map.of(503, 5), during, "while PostgreSQL is down: 503s only");

        // The pools reconnect by themselves: the same running edge accepts reports again.
        assertEquals(202, within(bundle, 30, 202), "ingest recovered without a restart");
        // A decision made after the restart is not skipped: opting out stops reports within 5 s.
        String deployment = bundle.deploymentIds.get(0);
        api.setConsent(api.token("carol", "carol"), deployment, "acme", bundle.bundle, false).requireStatus(200);
        assertEquals(403, within(bundle, 5, 403), "the opt-out made after the restart applies");
        api.setConsent(api.token("carol", "carol"), deployment, "acme", bundle.bundle, true).requireStatus(200);
        assertEquals(202, within(bundle, 5, 202));
    }

    private static int send(ConsentingBundle bundle) {
        return bundle.api.report(bundle.ingestKeys.get(0), bundle.report(SPAN).build()).status();
    }

    /** The first answer {@code expected} within the time, or the last status seen. */
    private static int within(ConsentingBundle bundle, int seconds, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int status;
        do {
            status = send(bundle);
            if (status == expected) {
                return status;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return status;
    }
}
