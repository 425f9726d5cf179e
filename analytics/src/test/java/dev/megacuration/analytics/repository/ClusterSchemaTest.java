package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/clickhouse-cluster/schema.sql must describe the schema the migrations build on one node: there is no
 * cluster here, so the file is applied to a scratch database of the real server with its cluster parts
 * rewritten (no ON CLUSTER, plain engines for the replicated ones, a Merge table for each Distributed one),
 * and every table the migrations made is compared with its cluster counterpart: columns, partition key
 * (month rebuilds swap partitions by it), sorting key, projections, skip indexes and the views that feed it.
 */
@QuarkusTest
class ClusterSchemaTest {
    private static final String SCRATCH = "cluster_schema_check";
    private static final Path SCHEMA = Path.of("..", "deploy", "clickhouse-cluster", "schema.sql");
    /**
     * Staging twins of the sums: only their views write them and only maintenance statements (TRUNCATE,
     * REPLACE PARTITION) name them, on the local tables, so no Distributed table stands in front of them.
     */
    private static final java.util.Set<String> LOCAL_ONLY = java.util.Set.of("span_daily_rebuild",
            "span_monthly_rebuild", "span_daily_by_span_rebuild", "span_monthly_by_span_rebuild",
            "span_trend_daily_rebuild");

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    @Test
    void theClusterSchemaHasEveryTableKeyAndViewOfTheMigrations() throws Exception {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + SCRATCH);
            statement.execute("CREATE DATABASE " + SCRATCH);
            try {
                for (String sql : ClickHouseMigrations.statements(singleServer(Files.readString(SCHEMA)))) {
                    statement.execute(sql.replace("§", SCRATCH));
                }
                Map<String, Table> node = tables(connection, "default");
                Map<String, Table> cluster = tables(connection, SCRATCH);
                List<String> differences = new ArrayList<>();
                for (Table table : node.values()) {
                    if (table.engine().equals("MaterializedView")) {
                        continue;
                    }
                    Table local = cluster.getOrDefault(table.name() + "_local", cluster.get(table.name()));
                    if (local == null) {
                        differences.add(table.name() + ": missing");
                        continue;
                    }
                    if (!cluster.containsKey(table.name()) && !LOCAL_ONLY.contains(table.name())) {
                        differences.add(table.name() + ": no table of that name in front of " + local.name());
                    }
                    compare(differences, table.name(), "columns", table.columns(), local.columns());
                    compare(differences, table.name(), "partition key", table.partitionKey(), local.partitionKey());
                    compare(differences, table.name(), "sorting key", table.sortingKey(), local.sortingKey());
                    compare(differences, table.name(), "projections", table.projections(), local.projections());
                    compare(differences, table.name(), "skip indexes", table.indexes(), local.indexes());
                    compare(differences, table.name(), "views fed", table.views(), local.views());
                }
                assertEquals(List.of(), differences, "schema.sql against the migrations");
                assertTrue(node.containsKey("span_trend_daily") && node.get("span_pieces").views().size() >= 5,
                        "the comparison saw the migrations' tables and views: " + node.keySet());
            } finally {
                statement.execute("DROP DATABASE IF EXISTS " + SCRATCH);
            }
        }
    }

    /** The file for one server: no cluster, plain engines, and a Merge table standing in for each Distributed one. */
    private static String singleServer(String schema) {
        return schema.replace(" ON CLUSTER megacuration", "")
                .replaceAll("ENGINE = Replicated(\\w*)MergeTree\\('[^']*', '\\{replica\\}'\\)", "ENGINE = $1MergeTree")
                .replaceAll("ENGINE = Distributed\\(megacuration, currentDatabase\\(\\), (\\w+), [^;]*\\);",
                        "ENGINE = Merge('§', '^$1\\$');")
                // Unqualified names go to the scratch database: the statements run one per request.
                .replaceAll("(?m)^(CREATE TABLE IF NOT EXISTS |CREATE MATERIALIZED VIEW IF NOT EXISTS |INSERT INTO |"
                        + "ALTER TABLE )(\\w+)", "$1§.$2")
                .replaceAll(" AS (\\w+_local)\\n", " AS §.$1\n")
                .replaceAll(" TO (\\w+_local) AS", " TO §.$1 AS")
                .replaceAll("FROM (span_pieces\\w*_local)", "FROM §.$1");
    }

    private static void compare(List<String> differences, String table, String what, Object node, Object cluster) {
        if (!node.equals(cluster)) {
            differences.add(table + ": " + what + " " + node + " on one node, " + cluster + " in schema.sql");
        }
    }

    private record Table(String name, String engine, String partitionKey, String sortingKey, String columns,
                         String projections, String indexes, TreeSet<String> views) {
    }

    /** Each table of a database with what the comparison looks at; view names lose their database. */
    private static Map<String, Table> tables(Connection connection, String database) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT t.name AS name, t.engine AS engine, t.partition_key AS partition_key,
                       t.sorting_key AS sorting_key, c.columns AS columns,
                       arrayStringConcat(arraySort(extractAll(t.create_table_query, 'PROJECTION (\\\\w+)')), ', ')
                           AS projections,
                       i.indexes AS indexes, arrayStringConcat(t.dependencies_table, ',') AS views
                FROM system.tables AS t
                LEFT JOIN (SELECT table, arrayStringConcat(arraySort(groupArray(concat(name, ' ', type))), ', ')
                               AS columns
                           FROM system.columns WHERE database = ? GROUP BY table) AS c ON c.table = t.name
                LEFT JOIN (SELECT table, arrayStringConcat(arraySort(groupArray(concat(name, ' ', type_full, ' ',
                               expr))), ', ') AS indexes
                           FROM system.data_skipping_indices WHERE database = ? GROUP BY table) AS i
                    ON i.table = t.name
                WHERE t.database = ?""")) {
            query.setString(2, database);
            query.setString(3, database);
            query.setString(1, database);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    TreeSet<String> views = new TreeSet<>();
                    for (String view : rows.getString("views").split(",")) {
                        if (!view.isEmpty()) {
                            views.add(view);
                        }
                    }
                    tables.put(rows.getString("name"), new Table(rows.getString("name"), rows.getString("engine"),
                            rows.getString("partition_key"), rows.getString("sorting_key"), rows.getString("columns"),
                            rows.getString("projections"), rows.getString("indexes"), views));
                }
            }
        }
        return tables;
    }
}
