package dev.megacuration.ingest.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.repository.ChannelProducer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * The benchmark's baseline: the same body parsed into the same record, sent to Kafka by a producer with the
 * same settings (acks=all, idempotent, linger 1 ms) and answered after the acknowledgement, but with none
 * of the edge's rules (no key, consent, registry, ledger, pseudonym or validation). Its topic,
 * {@code ingest-baseline}, is read by nobody. 404 unless {@code megacuration.ingest.baseline-endpoint}.
 */
@Path("/v1/baseline/reports")
public class BaselineResource {
    private final ChannelProducer<UsageReport> baseline;
    private final IngestConfig config;

    public BaselineResource(@Channel("ingest-baseline") MutinyEmitter<UsageReport> channel, KafkaClientService kafka,
                            IngestConfig config, ObjectMapper json) {
        // Sent the way the edge sends (see ChannelProducer); the emitter only makes the channel's producer.
        this.baseline = new ChannelProducer<>(kafka, "ingest-baseline", json);
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Uni<Response> send(UsageReport report) {
        if (!config.baselineEndpoint()) {
            throw new NotFoundException();
        }
        return baseline.send(report.tenant() + "/" + report.bundle(), report).replaceWith(Response.accepted().build());
    }
}
