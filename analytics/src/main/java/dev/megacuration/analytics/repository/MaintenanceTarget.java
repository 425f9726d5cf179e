package dev.megacuration.analytics.repository;

import java.util.Optional;

/**
 * Where maintenance statements (mutations, TRUNCATE, REPLACE PARTITION) go. On one node they name the
 * table; on a cluster the queried names are Distributed tables, which take no mutations, so they name the
 * replicated local table on every shard: {@code span_reports_local ON CLUSTER megacuration}. Reads and
 * inserts always use the plain names (see deploy/clickhouse-cluster/).
 */
public record MaintenanceTarget(Optional<String> cluster) {

    public static MaintenanceTarget singleNode() {
        return new MaintenanceTarget(Optional.empty());
    }

    /** The table clause of an ALTER or TRUNCATE of {@code table}. */
    public String table(String table) {
        return cluster.map(name -> table + "_local ON CLUSTER " + name).orElse(table);
    }

    /** A table named as the source of a REPLACE PARTITION (no ON CLUSTER clause there). */
    public String source(String table) {
        return cluster.isPresent() ? table + "_local" : table;
    }
}
