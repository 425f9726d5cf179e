package dev.megacuration.ingest.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The producer's bounds on what waits for Kafka, with a stand-in producer whose sends are answered only when
 * the test says so (Kafka away, then back). What clients see of it on the real broker, 503s while it is away
 * and every accepted report counted once, is KafkaBrokerKilledE2ETest's.
 */
class ChannelProducerBoundsTest {
    /** The sends Kafka has not answered yet, in the order they were handed to it. */
    private final List<CompletableFuture<RecordMetadata>> unanswered = new CopyOnWriteArrayList<>();
    private final ChannelProducer<Object> producer = new ChannelProducer<>(clients(), "bounds-test", new ObjectMapper());

    @Test
    void aRecordBeyondTheBoundIsRefusedAtOnceAndTheNextOneIsAdmittedOnceKafkaAnswers() {
        List<UniAssertSubscriber<RecordMetadata>> waiting = new ArrayList<>();
        for (int i = 0; i < ChannelProducer.MAX_IN_FLIGHT; i++) {
            waiting.add(send(0));
        }
        assertEquals(ChannelProducer.MAX_IN_FLIGHT, unanswered.size(), "every record within the bound went to Kafka");
        waiting.forEach(UniAssertSubscriber::assertNotTerminated);

        send(0).assertFailedWith(IllegalStateException.class, "waiting for Kafka");
        assertEquals(ChannelProducer.MAX_IN_FLIGHT, unanswered.size(), "the refused record never reached Kafka");

        unanswered.get(0).complete(acknowledged());
        waiting.get(0).assertCompleted();
        send(0).assertNotTerminated();
        assertEquals(ChannelProducer.MAX_IN_FLIGHT + 1, unanswered.size(), "an acknowledgement frees a place");

        // A send that Kafka finally fails (its delivery timeout) frees its place as well.
        unanswered.get(1).completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("expired"));
        waiting.get(1).assertFailedWith(org.apache.kafka.common.errors.TimeoutException.class, "expired");
        send(0).assertNotTerminated();
        send(0).assertFailedWith(IllegalStateException.class, "waiting for Kafka");
    }

    @Test
    void spanEntriesBeyondTheirBoundAreRefusedEvenWithFewRecordsWaiting() {
        UniAssertSubscriber<RecordMetadata> large = send(ChannelProducer.MAX_ENTRIES_IN_FLIGHT - 10);
        large.assertNotTerminated();

        send(11).assertFailedWith(IllegalStateException.class, "span entries");
        // The refused record left nothing counted behind: ten more entries still fit, exactly.
        send(10).assertNotTerminated();
        send(1).assertFailedWith(IllegalStateException.class, "span entries");
        assertEquals(2, unanswered.size(), "only the admitted records went to Kafka");

        unanswered.get(0).complete(acknowledged());
        large.assertCompleted();
        send(ChannelProducer.MAX_ENTRIES_IN_FLIGHT - 10).assertNotTerminated();
    }

    /** The value is written on the caller's thread: one that cannot be written is refused and holds no place. */
    @Test
    void aValueThatCannotBeWrittenNeverReachesKafkaAndHoldsNoPlace() {
        Object unwritable = new Object() {
            @SuppressWarnings("unused")
            public String getBroken() {
                throw new IllegalStateException("broken getter");
            }
        };
        producer.send("key", unwritable, ChannelProducer.MAX_ENTRIES_IN_FLIGHT)
                .subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertFailedWith(JsonMappingException.class, "broken getter");
        assertEquals(0, unanswered.size(), "nothing was handed to Kafka");
        // Its entries were given back: the whole bound is free again.
        send(ChannelProducer.MAX_ENTRIES_IN_FLIGHT).assertNotTerminated();
        assertEquals(1, unanswered.size());
    }

    private UniAssertSubscriber<RecordMetadata> send(int entries) {
        return producer.send("key", "value", entries).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private static RecordMetadata acknowledged() {
        return new RecordMetadata(new TopicPartition("bounds-test", 0), 0, 0, 0, 3, 5);
    }

    /** A client service with one producer, whose sends wait in {@link #unanswered}. */
    @SuppressWarnings("unchecked")
    private KafkaClientService clients() {
        KafkaProducer<String, byte[]> kafka = (KafkaProducer<String, byte[]>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {KafkaProducer.class}, (proxy, method, arguments) -> {
                    if (!method.getName().equals("send")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    CompletableFuture<RecordMetadata> answer = new CompletableFuture<>();
                    unanswered.add(answer);
                    return Uni.createFrom().completionStage(answer);
                });
        return (KafkaClientService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KafkaClientService.class}, (proxy, method, arguments) -> {
                    if (!method.getName().equals("getProducer")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return kafka;
                });
    }
}
