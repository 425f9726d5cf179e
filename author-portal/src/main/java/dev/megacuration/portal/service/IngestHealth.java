package dev.megacuration.portal.service;

import dev.megacuration.portal.config.PortalConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admins' view of the pipeline's health, read from the services' own Prometheus endpoints (the numbers
 * a Grafana board shows, without needing one): reports accepted and rejected by reason at the ingest edge
 * since it started, and analytics' Kafka consumer lag and stored reports. A service that does not answer
 * is shown as such, not as zeros.
 */
@ApplicationScoped
public class IngestHealth {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final PortalConfig config;

    public IngestHealth(PortalConfig config) {
        this.config = config;
    }

    /** Reports at the edge by outcome and reason. */
    public record Outcome(String outcome, String reason, long reports) {
    }

    public record Health(boolean ingestUp, List<Outcome> outcomes, long accepted, long rejected, boolean analyticsUp,
                         Long consumerLag, Map<String, Long> stored) {
    }

    public Uni<Health> read() {
        return Uni.combine().all().unis(scrape(config.ingestMetricsUrl()), scrape(config.analyticsMetricsUrl()))
                .with((ingest, analytics) -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    long accepted = 0;
                    long rejected = 0;
                    for (String line : ingest) {
                        Sample s = parse(line);
                        if (s != null && s.name().equals("megacuration_ingest_reports_total")) {
                            long n = (long) s.value();
                            String outcome = s.labels().getOrDefault("outcome", "?");
                            outcomes.add(new Outcome(outcome, s.labels().getOrDefault("reason", ""), n));
                            if (outcome.equals("accepted")) {
                                accepted += n;
                            } else if (outcome.equals("rejected")) {
                                rejected += n; // duplicates are neither: accepted before, counted once
                            }
                        }
                    }
                    Long lag = null;
                    Map<String, Long> stored = new TreeMap<>();
                    for (String line : analytics) {
                        Sample s = parse(line);
                        if (s == null) {
                            continue;
                        }
                        if (s.name().equals("kafka_consumer_fetch_manager_records_lag_max") && !Double.isNaN(s.value())) {
                            lag = Math.max(lag == null ? 0 : lag, (long) s.value());
                        } else if (s.name().equals("megacuration_analytics_reports_total")) {
                            stored.merge(s.labels().getOrDefault("outcome", "?"), (long) s.value(), Long::sum);
                        }
                    }
                    outcomes.sort(java.util.Comparator.comparing(Outcome::outcome).thenComparing(Outcome::reason));
                    return new Health(!ingest.isEmpty(), outcomes, accepted, rejected,
                            !analytics.isEmpty(), lag, stored);
                });
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private static Sample parse(String line) {
        if (line.startsWith("#")) {
            return null;
        }
        Matcher m = SAMPLE.matcher(line);
        if (!m.find()) {
            return null;
        }
        Map<String, String> labels = new TreeMap<>();
        if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        try {
            return new Sample(m.group(1), labels, Double.parseDouble(m.group(4)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The endpoint's lines, or none when it does not answer in time. */
    private Uni<List<String>> scrape(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()))
                .map(response -> response.statusCode() == 200 ? response.body().toList() : List.<String>of())
                .onFailure().recoverWithItem(List.of());
    }
}
