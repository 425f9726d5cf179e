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
 * The analytics consumer killed (SIGKILL) mid-batch during sustained ingest, and started again, on servers of
 * this test's own: the batch it had read but not committed is read again, and every accepted report is
 * counted once.
 */
@ExtendWith(OwnInstance.class)
class AnalyticsConsumerKilledE2ETest {
    private static final long SPAN = SpanId.of(1, 2);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void noReportIsLostOrCountedTwice(Api api, LocalInstance servers, @TempDir Path dir) throws Exception {
        ConsentingBundle bundle = ConsentingBundle.create(api, dir, "consumer-fault", 5);
        SustainedSender sender = SustainedSender.acrossFault(bundle, SPAN, () -> servers.script("services.sh", "kill", "analytics"),
                () -> servers.script("services.sh", "start"));
        System.out.println("consumer killed: answers " + sender.statuses() + ", " + sender.accepted() + " reports accepted");
        assertEquals(Map.of(202, sender.accepted()), sender.statuses(), "every report accepted at the first attempt");
        assertEquals(sender.accepted(), bundle.awaitExpands(SPAN, sender.accepted()), "every accepted report, once");
    }
}
