package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceTargetTest {
    @Test
    void aSingleNodeAltersTheTableItQueries() {
        MaintenanceTarget target = MaintenanceTarget.singleNode();
        assertEquals("span_reports", target.table("span_reports"));
        assertEquals("span_pieces_rebuild", target.source("span_pieces_rebuild"));
    }

    @Test
    void aClusterAltersTheLocalTablesOnEveryShard() {
        MaintenanceTarget target = new MaintenanceTarget(Optional.of("megacuration"));
        assertEquals("span_reports_local ON CLUSTER megacuration", target.table("span_reports"));
        assertEquals("span_pieces_rebuild_local", target.source("span_pieces_rebuild"));
    }
}
