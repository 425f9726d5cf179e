package dev.megacuration.ingest.rest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bytes received on the report endpoints as sent on the wire (Content-Length, so compressed when gzip),
 * by encoding: {@code megacuration_ingest_request_bytes}. Runs before anything else reads the request.
 */
@ApplicationScoped
public class RequestBytes {
    private final MeterRegistry metrics;

    public RequestBytes(MeterRegistry metrics) {
        this.metrics = metrics;
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
        String tag = encoding.equals("gzip") || encoding.equals("identity") ? encoding : "other";
        return DistributionSummary.builder("megacuration.ingest.request.bytes").baseUnit("bytes")
                .description("Report request bodies as received, before decompression").tag("encoding", tag)
                .register(metrics);
    }
}
