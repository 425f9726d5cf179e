package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.megacuration.deploy.Api;
import dev.megacuration.format.SpanId;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse killed (SIGKILL) while the analytics consumer writes to it, and restarted, on servers of this
 * test's own: ingest keeps accepting (Kafka holds the reports while the consumer waits), and afterwards every
 * accepted report is counted once: none lost with the killed server, none written twice by the retry.
 */
@ExtendWith(OwnInstance.class)
class ClickHouseKilledE2ETest {
    private static final long SPAN = SpanId.of(1, 2);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void noReportIsLostOrCountedTwice(Api api, LocalInstance servers, @TempDir Path dir) throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "clickhouse-fault", 5);
        SustainedSender sender = SustainedSender.acrossFault(bundle, SPAN, () -> servers.script("clickhouse.sh", "kill"),
                () -> servers.script("clickhouse.sh", "start"));
        System.out.println("clickhouse killed: answers " + sender.statuses() + ", " + sender.accepted() + " reports accepted");
        assertEquals(Map.of(202, sender.accepted()), sender.statuses(), "every report accepted at the first attempt");
        assertEquals(sender.accepted(), bundle.awaitExpands(SPAN, sender.accepted()), "every accepted report, once");
    }
}
