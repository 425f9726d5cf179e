package dev.megacuration.analytics.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * ingest-api leaves out of a span entry every count of 0 and every statistic the client did not send; the
 * consumer's mapper reads them back as 0 and null.
 */
@QuarkusTest
class UsageReportEventTest {
    @Inject
    ObjectMapper json;

    @Test
    void aSpanEntryWithOnlyItsIdHasNoExpandsNoCollapsesAndNoStatistics() throws Exception {
        UsageReportEvent event = json.readValue("""
                {"schemaVersion":2,"reportId":"6d0c1e5e-0000-4000-8000-000000000009","tenant":"acme","bundle":"b",
                 "version":"1.0.0","deployment":"p","windowStart":"2026-11-25T00:00:00Z",
                 "windowEnd":"2026-11-26T00:00:00Z","receivedAt":"2026-11-26T00:00:00Z",
                 "spans":[{"spanId":72057594037927936},{"spanId":72057594037927937,"expands":3,"residency":0.5}],
                 "stale":[]}""", UsageReportEvent.class);
        UsageReportEvent.Span bare = event.spanEntries().get(0);
        assertEquals(0, bare.expands());
        assertEquals(0, bare.collapses());
        assertNull(bare.residency());
        assertNull(bare.swapRate());
        assertNull(bare.deltaNll());
        assertNull(bare.deltaNllHorizon());
        assertNull(bare.lastAccessStep());
        assertNull(bare.accessCount());
        UsageReportEvent.Span some = event.spanEntries().get(1);
        assertEquals(3, some.expands());
        assertEquals(0.5, some.residency());
        assertNull(some.swapRate());
    }
}
