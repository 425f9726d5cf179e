package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker killed (SIGKILL) during sustained ingest and restarted, on servers of this test's own:
 * clients see 503s while it is away (never a 202 for a report Kafka did not take, never a 500), retry, and
 * afterwards every report that got a 202 is counted exactly once in ClickHouse.
 */
@ExtendWith(OwnInstance.class)
class KafkaBrokerKilledE2ETest {
    private static final long SPAN = SpanId.of(1, 2);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void clientsSee503sAndEveryAcceptedReportIsCountedOnce(Api api, LocalInstance servers, @TempDir Path dir)
            throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "kafka-fault", 5);
        Map<String, Object> beforeFault = bundle.report(SPAN).build();
        assertEquals(202, api.report(bundle.ingestKeys.get(0), beforeFault).status());
        SustainedSender sender = new SustainedSender(bundle, SPAN, 4);
        try {
            assertTrue(sender.awaitAccepted(50, 30_000), "ingest accepts before the fault: " + sender.statuses());
            servers.script("kafka.sh", "kill");
            try {
                assertTrue(sender.awaitStatus(503, 4, 60_000), "503s while the broker is away: " + sender.statuses());
            } finally {
                servers.script("kafka.sh", "start");
            }
            assertTrue(sender.awaitAccepted(sender.accepted() + 50, 60_000),
                    "ingest accepts again after the restart: " + sender.statuses());
        } finally {
            sender.close();
        }
        // A client that timed out before the fault and sends its report again: known, not counted again.
        assertEquals("duplicate", api.report(bundle.ingestKeys.get(0), beforeFault).requireStatus(202, 200).body()
                .get("outcome").asText());
        System.out.println("kafka killed: answers " + sender.statuses() + ", " + sender.accepted() + " reports accepted");
        assertTrue(Set.of(202, 503).containsAll(sender.statuses().keySet()), "only 202 and 503: " + sender.statuses());
        long accepted = sender.accepted() + 1;
        assertEquals(accepted, bundle.awaitExpands(SPAN, accepted), "every accepted report, once");
    }
}
