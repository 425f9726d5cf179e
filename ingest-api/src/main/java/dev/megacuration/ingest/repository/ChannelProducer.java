package dev.megacuration.ingest.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends records through the producer of a configured outgoing channel, so with that channel's settings
 * (acks=all, idempotence, linger, timeouts, serializer), but not through its emitter. The emitter passes
 * every message through one lock and the channel's stream; under load event-loop threads waited up to
 * 36 ms for it (a JFR recording of the ingest benchmark), and its acknowledgement ran the rest of every
 * request on the producer's network thread. Here a send is a hand-off to the producer's sending thread,
 * and the answer comes back on the request's own event loop.
 *
 * <p>Values are written as JSON here, on the caller's thread, and handed to Kafka as bytes (the channel's
 * value serializer is {@code ByteArraySerializer}). A serializer configured on the channel would run inside
 * the producer's send, on the connector's one sending thread: under full batches that thread spent its time
 * writing JSON (most of it formatting the entries' numbers) while the event loops waited for it (a JFR
 * recording of the ingest benchmark).
 *
 * <p>The channel itself must still exist: its connector creates the producer only for a channel that
 * something injects (the caller keeps its {@code @Channel} emitter for that, and never emits on it).
 */
public final class ChannelProducer<V> {
    /**
     * Records handed to the producer and not yet acknowledged, at most: what the channel's own sink allows
     * (max-inflight-messages). While Kafka is down every send waits for metadata; beyond this many the
     * caller is refused at once (a 503 for the client to retry) instead of queueing without bound.
     */
    static final int MAX_IN_FLIGHT = 1024;
    /**
     * Span entries in the records still waiting, at most: about 22 MB of JSON. A report holds up to 10,000
     * entries and a batch record up to 100 reports, so the count of records alone would not bound what waits
     * in memory.
     */
    static final int MAX_ENTRIES_IN_FLIGHT = 1 << 17;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger entriesInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final KafkaClientService clients;
    private final String channel;
    private final String topic;
    private final ObjectWriter json;
    private volatile KafkaProducer<String, byte[]> producer;

    public ChannelProducer(KafkaClientService clients, String channel, ObjectMapper json) {
        this.clients = clients;
        this.channel = channel;
        this.json = json.writer();
        this.topic = ConfigProvider.getConfig().getOptionalValue("mp.messaging.outgoing." + channel + ".topic",
                String.class).orElse(channel);
    }

    /**
     * Completes once Kafka acknowledged the record (per the channel's acks), on the caller's event loop; fails
     * at once when {@link #MAX_IN_FLIGHT} records are still waiting.
     */
    public Uni<RecordMetadata> send(String key, V value) {
        return send(key, value, 0);
    }

    /**
     * As {@link #send(String, Object)}, for a record of {@code entries} span entries; fails at once as well when
     * {@link #MAX_ENTRIES_IN_FLIGHT} would be passed.
     */
    public Uni<RecordMetadata> send(String key, V value, int entries) {
        Context context = Vertx.currentContext();
        Uni<RecordMetadata> sent = Uni.createFrom().deferred(() -> {
            KafkaProducer<String, byte[]> kafka = producer();
            if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                inFlight.decrementAndGet();
                return Uni.createFrom().failure(new IllegalStateException(MAX_IN_FLIGHT
                        + " records to channel " + channel + " are waiting for Kafka"));
            }
            if (entries > 0 && entriesInFlight.addAndGet(entries) > MAX_ENTRIES_IN_FLIGHT) {
                entriesInFlight.addAndGet(-entries);
                inFlight.decrementAndGet();
                return Uni.createFrom().failure(new IllegalStateException(MAX_ENTRIES_IN_FLIGHT
                        + " span entries to channel " + channel + " are waiting for Kafka"));
            }
            byte[] encoded;
            try {
                encoded = json.writeValueAsBytes(value);
            } catch (JsonProcessingException | RuntimeException e) {
                released(entries);
                return Uni.createFrom().failure(e);
            }
            // Subscribed here, not by the caller: a caller that stops waiting (its timeout) does not end the
            // send, so the count drops only when Kafka answers (acknowledged, or failed after its delivery timeout).
            java.util.concurrent.CompletableFuture<RecordMetadata> answered = new java.util.concurrent.CompletableFuture<>();
            kafka.send(new ProducerRecord<>(topic, key, encoded)).subscribe().with(metadata -> {
                released(entries);
                answered.complete(metadata);
            }, failure -> {
                released(entries);
                answered.completeExceptionally(failure);
            });
            return Uni.createFrom().completionStage(answered);
        });
        return context == null ? sent : sent.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private void released(int entries) {
        inFlight.decrementAndGet();
        if (entries > 0) {
            entriesInFlight.addAndGet(-entries);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> found = producer;
        if (found == null) {
            found = clients.getProducer(channel);
            if (found == null) {
                throw new IllegalStateException("no Kafka producer for channel " + channel);
            }
            producer = found;
        }
        return found;
    }
}
