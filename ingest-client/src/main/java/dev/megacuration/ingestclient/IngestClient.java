package dev.megacuration.ingestclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The reference client of the ingest API for consumer deployments. It sends single reports or batches,
 * gzip-compressed if asked, and retries what may succeed later — 429, 503 and network failures — with the
 * same report ids, honouring Retry-After and otherwise backing off exponentially with jitter. A report the
 * server refused for good (400, 401, 403, 413, 422) is returned at once, never retried.
 *
 * <pre>{@code
 * IngestClient client = IngestClient.builder(URI.create("http://127.0.0.1:8081"), ingestKey).gzip(true).build();
 * IngestClient.Result result = client.send(UsageReport.of(UUID.randomUUID(), "acme", "support-handbook",
 *         "1.0.0", Instant.now()).expand(SpanId, 3));
 * }</pre>
 */
public final class IngestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome for one report: 202 accepted (outcome "accepted" or "duplicate") or why not. */
    public record Result(UUID reportId, int status, String outcome, int attempts) {
        public boolean accepted() {
            return status == 202;
        }
    }

    private final URI base;
    private final String ingestKey;
    private final boolean gzip;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http;

    private IngestClient(Builder builder) {
        this.base = builder.base;
        this.ingestKey = builder.ingestKey;
        this.gzip = builder.gzip;
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        // HTTP/1.1: over cleartext, Java's client would otherwise try an h2c upgrade on the first request,
        // and the server does not inflate a gzip body that arrives with the upgrade.
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static Builder builder(URI base, String ingestKey) {
        return new Builder(base, ingestKey);
    }

    public Result send(UsageReport report) {
        Exchange exchange = exchange("/v1/reports", report.build());
        String outcome = exchange.status == 202 ? exchange.body.path("outcome").asText() : problemOf(exchange);
        return new Result(report.reportId(), exchange.status, outcome, exchange.attempts);
    }

    /** A refusal's reason and detail from its problem document, or what is known without one. */
    private static String problemOf(Exchange exchange) {
        if (exchange.body == null) {
            return exchange.status < 0 ? "unreachable" : "HTTP " + exchange.status;
        }
        return exchange.body.path("reason").asText("invalid") + ": " + exchange.body.path("detail").asText();
    }

    /** Sends up to the server's batch limit in one request; one result per report, in order. */
    public List<Result> sendBatch(List<UsageReport> reports) {
        Exchange exchange = exchange("/v1/reports:batch", Map.of("reports", reports.stream().map(UsageReport::build)
                .toList()));
        List<Result> results = new ArrayList<>();
        JsonNode items = exchange.body == null ? null : exchange.body.get("results");
        for (int i = 0; i < reports.size(); i++) {
            JsonNode item = items == null ? null : items.get(i);
            results.add(item == null
                    ? new Result(reports.get(i).reportId(), exchange.status, problemOf(exchange), exchange.attempts)
                    : new Result(reports.get(i).reportId(), item.get("status").asInt(), item.path("outcome").asText(),
                    exchange.attempts));
        }
        return results;
    }

    private record Exchange(int status, JsonNode body, int attempts) {
    }

    private Exchange exchange(String path, Object payload) {
        byte[] body = encode(payload);
        Duration backoff = initialBackoff;
        Exchange last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
                last = new Exchange(response.statusCode(), parse(response.body()), attempt);
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                    return last;
                }
                wait = response.headers().firstValue("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s)))
                        .orElse(backoff);
            } catch (IOException e) {
                last = new Exchange(-1, null, attempt);
                wait = backoff;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Exchange(-1, null, attempt);
            }
            if (attempt < maxAttempts) {
                sleep(jitter(wait));
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
        return last;
    }

    private HttpRequest request(String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ingestKey).header("Content-Type", "application/json");
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private byte[] encode(Object payload) {
        try {
            byte[] json = JSON.writeValueAsBytes(payload);
            if (!gzip) {
                return json;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
            try (GZIPOutputStream compressed = new GZIPOutputStream(out)) {
                compressed.write(json);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Duration jitter(Duration wait) {
        long millis = wait.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a client; the defaults suit a deployment that reports every few minutes. */
    public static final class Builder {
        private final URI base;
        private final String ingestKey;
        private boolean gzip;
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private HttpClient http;

        private Builder(URI base, String ingestKey) {
            this.base = base;
            this.ingestKey = ingestKey;
        }

        public Builder gzip(boolean gzip) {
            this.gzip = gzip;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Math.max(1, maxAttempts);
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Shares one connection pool between clients (say, of many deployments in one process). */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        public IngestClient build() {
            return new IngestClient(this);
        }
    }
}
