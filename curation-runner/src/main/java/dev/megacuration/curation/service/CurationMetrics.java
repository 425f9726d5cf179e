package dev.megacuration.curation.service;

import dev.megacuration.curation.config.CurationConfig;
import dev.megacuration.curation.planning.Action;
import dev.megacuration.curation.planning.CurationPlan;
import dev.megacuration.curation.planning.PlannedSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The runner's Prometheus metrics. A command runs for seconds and exits, so there is nothing to scrape:
 * counters are added to a text-format file ({@code megacuration.curation.metrics-file}) that
 * node_exporter's textfile collector (or any file-reading scraper) publishes. Written to a temporary file
 * and renamed, so a scrape never reads half a file.
 */
@ApplicationScoped
public class CurationMetrics {
    private static final Logger LOG = Logger.getLogger(CurationMetrics.class);
    private static final Map<String, String> HELP = Map.of(
            "megacuration_curation_bytes_reclaimed_total", "Live release bytes removed by applied plans",
            "megacuration_curation_spans_total", "Spans changed by applied plans, by action",
            "megacuration_curation_plan_seconds", "Time to build a plan",
            "megacuration_curation_apply_seconds", "Time to apply a plan (rebuild and upload)",
            "megacuration_curation_rollbacks_total", "Plans rolled back");
    private final CurationConfig config;

    public CurationMetrics(CurationConfig config) {
        this.config = config;
    }

    void planned(Duration took) {
        update(values -> {
            add(values, "megacuration_curation_plan_seconds_sum", took.toNanos() / 1e9);
            add(values, "megacuration_curation_plan_seconds_count", 1);
        });
    }

    void applied(CurationPlan plan, CurationService.Outcome outcome, Duration took) {
        update(values -> {
            add(values, "megacuration_curation_bytes_reclaimed_total", Math.max(0, outcome.bytesBefore() - outcome.bytesAfter()));
            for (PlannedSpan change : plan.changes()) {
                Action action = change.action() == Action.DELETE && outcome.deletesArchived() ? Action.ARCHIVE : change.action();
                String name = switch (action) {
                    case COMPACT -> "compacted";
                    case ARCHIVE -> "archived";
                    case DELETE -> "deleted";
                    case RESTORE -> "restored";
                    case KEEP -> null;
                };
                if (name != null) {
                    add(values, "megacuration_curation_spans_total{action=\"" + name + "\"}", 1);
                }
            }
            add(values, "megacuration_curation_apply_seconds_sum", took.toNanos() / 1e9);
            add(values, "megacuration_curation_apply_seconds_count", 1);
        });
    }

    void rolledBack() {
        update(values -> add(values, "megacuration_curation_rollbacks_total", 1));
    }

    private static void add(Map<String, Double> values, String series, double amount) {
        values.merge(series, amount, Double::sum);
    }

    private synchronized void update(java.util.function.Consumer<Map<String, Double>> change) {
        if (config.metricsFile().isEmpty()) {
            return;
        }
        Path file = Path.of(config.metricsFile().get());
        try {
            Map<String, Double> values = read(file);
            change.accept(values);
            write(file, values);
        } catch (IOException | RuntimeException e) {
            // Metrics never fail a curation command; the log says why they are missing.
            LOG.warnf("could not update the metrics file %s: %s", file, e.getMessage());
        }
    }

    static Map<String, Double> read(Path file) throws IOException {
        Map<String, Double> values = new TreeMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    static void write(Path file, Map<String, Double> values) throws IOException {
        StringBuilder text = new StringBuilder();
        String family = null;
        for (Map.Entry<String, Double> series : values.entrySet()) {
            String name = series.getKey().replaceFirst("\\{.*", "").replaceFirst("_(sum|count)$", "");
            if (!name.equals(family)) {
                family = name;
                text.append("# HELP ").append(name).append(' ').append(HELP.getOrDefault(name, name)).append('\n');
                text.append("# TYPE ").append(name).append(name.endsWith("_seconds") ? " summary" : " counter").append('\n');
            }
            text.append(series.getKey()).append(' ').append(series.getValue()).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".metrics", ".prom");
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
