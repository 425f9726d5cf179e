package dev.megacuration.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana's dashboard only charts metrics that exist: each of MegaCuration's own series is
 * registered by name in a service's code (Micrometer's dotted name, as Prometheus renders it), and the
 * framework series are the ones Quarkus exports (the admin page's ingest health reads the Kafka lag too).
 */
class GrafanaDashboardTest {
    private static final Path REPO = Path.of(System.getenv().getOrDefault("MC_REPO_ROOT", "..")).toAbsolutePath().normalize();
    private static final Pattern SERIES = Pattern.compile("\\b((?:megacuration|jvm|http_server|kafka_consumer)_[a-z0-9_]+)");
    private static final Pattern PROMETHEUS_SUFFIX = Pattern.compile("_(total|seconds_bucket|seconds_sum|seconds_count|seconds_max|seconds|bytes)$");
    private static final Set<String> FRAMEWORK = Set.of("jvm_memory_used_bytes", "http_server_requests_seconds_sum",
            "http_server_requests_seconds_count", "kafka_consumer_fetch_manager_records_lag_max");
    private static final List<String> CHARTED = List.of("megacuration_ingest_reports_total", "megacuration_analytics_clickhouse_insert_seconds_bucket",
            "kafka_consumer_fetch_manager_records_lag_max", "megacuration_analytics_cells_suppressed_total",
            "megacuration_curation_bytes_reclaimed_total", "megacuration_curation_spans_total");

    @Test
    void everyChartedSeriesIsOneTheServicesExport() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("deploy/grafana/megacuration-dashboard.json").toFile());
        assertEquals("megacuration", dashboard.get("uid").asText());
        Set<String> series = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertFalse(panel.get("targets").isEmpty(), panel.get("title") + " has a query");
            for (JsonNode target : panel.get("targets")) {
                Matcher m = SERIES.matcher(target.get("expr").asText());
                boolean any = false;
                while (m.find()) {
                    series.add(m.group(1));
                    any = true;
                }
                assertTrue(any, panel.get("title") + " charts a known series");
            }
        }
        String sources = javaSources();
        for (String name : series) {
            if (name.startsWith("megacuration_")) {
                String micrometer = PROMETHEUS_SUFFIX.matcher(name).replaceAll("").replace('_', '.');
                assertTrue(sources.contains('"' + micrometer + '"'), name + " is registered as \"" + micrometer + "\" somewhere");
            } else {
                assertTrue(FRAMEWORK.contains(name), name + " is a series Quarkus exports");
            }
        }
        assertTrue(series.containsAll(CHARTED), "ingest outcomes, consumer lag, insert latency, suppressed cells, "
                + "bytes reclaimed and spans archived are all charted: " + series);
    }

    private static String javaSources() {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("ingest-api", "analytics", "author-portal")) {
            try (Stream<Path> files = Files.walk(REPO.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    try {
                        all.append(Files.readString(f));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }
}
