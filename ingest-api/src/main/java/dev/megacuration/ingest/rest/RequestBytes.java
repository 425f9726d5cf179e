package dev.megacuration.ingest.rest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes received on the report endpoints as sent on the wire (Content-Length, so compressed when gzip),
 * by encoding: {@code megacuration_ingest_request_bytes}. Runs before anything else reads the request.
 */
@ApplicationScoped
public class RequestBytes {
    /** One summary per encoding the edge accepts, and "other": registered once, not per request. */
    private final Map<String, DistributionSummary> byEncoding = new HashMap<>();

    public RequestBytes(MeterRegistry metrics) {
        for (String encoding : List.of("identity", "gzip", "other")) {
            byEncoding.put(encoding, DistributionSummary.builder("megacuration.ingest.request.bytes").baseUnit("bytes")
                    .description("Report request bodies as received, before decompression").tag("encoding", encoding)
                    .register(metrics));
        }
    }

    void measure(@Observes Router router) {
        router.route("/v1/reports*").order(-100).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    String encoding = context.request().getHeader("Content-Encoding");
                    summary(encoding == null ? "identity" : encoding.strip().toLowerCase())
                            .record(Long.parseLong(length.strip()));
                } catch (NumberFormatException ignored) {
                    // A malformed length is the HTTP layer's to refuse; it is not a size to count.
                }
            }
            context.next();
        });
    }

    private DistributionSummary summary(String encoding) {
        // Only the encodings the edge accepts get their own series, so a client cannot mint metrics.
        return byEncoding.getOrDefault(encoding, byEncoding.get("other"));
    }
}
