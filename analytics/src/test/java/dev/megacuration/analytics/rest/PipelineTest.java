package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Kafka → ClickHouse pipeline on the real servers: exactly once at any later time, and dead letters. */
@QuarkusTest
class PipelineTest {
    private static final long SPAN = (1L << 56) | 5;
    private static final Instant HOUR = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().plus(Duration.ofHours(6));

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final String tenant = "pipeline-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aReportIdThatComesBackAtAnyLaterTimeIsNeverCountedAgain() throws Exception {
        String bundle = "again";
        UUID id = UUID.randomUUID();
        String event = UsageTopic.event(id, tenant, bundle, "1.0.0", "deployment-a", HOUR,
                List.of(new Expand(SPAN, 7)), List.of());
        try (UsageTopic topic = new UsageTopic()) {
            topic.send(tenant, bundle, event);
            topic.send(tenant, bundle, event); // a redelivery, likely in the same batch
        }
        Stored.await(clickhouse, tenant, bundle, 1);
        try (UsageTopic topic = new UsageTopic()) {
            // Later, in another batch: the same id again (a retry days later or a replay) with different
            // numbers, then a marker report that shows the consumer has read past it.
            topic.send(tenant, bundle, UsageTopic.event(id, tenant, bundle, "1.0.0", "deployment-a", HOUR,
                    List.of(new Expand(SPAN, 700)), List.of()));
            topic.report(tenant, bundle, "1.0.0", "deployment-b", HOUR, List.of(new Expand(SPAN, 1)), List.of());
        }
        Stored.await(clickhouse, tenant, bundle, 2);
        assertEquals(8, expands(bundle), "7 from the first delivery and 1 from the marker");
    }

    @Test
    void aBatchRecordCountsEachOfItsReportsOnce() throws Exception {
        String bundle = "batched";
        UUID single = UUID.randomUUID();
        try (UsageTopic topic = new UsageTopic()) {
            topic.send(tenant, bundle, UsageTopic.event(single, tenant, bundle, "1.0.0", "deployment-a", HOUR,
                    List.of(new Expand(SPAN, 5)), List.of()));
            // What the edge sends for a batch request (schema version 3): two new reports and, again, the one
            // above with other numbers (a client's retry, inside a batch this time).
            topic.send(tenant, bundle, UsageTopic.batch(
                    UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", "deployment-b", HOUR,
                            List.of(new Expand(SPAN, 2)), List.of()),
                    UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", "deployment-c", HOUR,
                            List.of(new Expand(SPAN, 3)), List.of()),
                    UsageTopic.event(single, tenant, bundle, "1.0.0", "deployment-a", HOUR,
                            List.of(new Expand(SPAN, 500)), List.of())));
        }
        Stored.await(clickhouse, tenant, bundle, 3);
        assertEquals(10, expands(bundle), "5 + 2 + 3: the repeated report id counts once");
    }

    @Test
    void recordsThatNeverParseGoToTheDeadLetterTopicAndDoNotBlockThePartition() throws Exception {
        String bundle = "poison";
        String key = tenant + "/" + bundle;
        try (UsageTopic topic = new UsageTopic()) {
            topic.send(tenant, bundle, "{ this is not json");
            topic.send(tenant, bundle, UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", "d", HOUR,
                    List.of(new Expand(SPAN, 1)), List.of()).replace("\"tenant\":\"" + tenant + "\",", ""));
            // A batch with one incomplete report goes to the dead letters whole: its reports are stored together.
            topic.send(tenant, bundle, UsageTopic.batch(
                    UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", "d", HOUR, List.of(new Expand(SPAN, 40)),
                            List.of()),
                    UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", "d", HOUR, List.of(new Expand(SPAN, 50)),
                            List.of()).replace("\"receivedAt\"", "\"receivedAtX\"")));
            topic.report(tenant, bundle, "1.0.0", "deployment-c", HOUR, List.of(new Expand(SPAN, 3)), List.of());
        }
        Stored.await(clickhouse, tenant, bundle, 1);
        assertEquals(3, expands(bundle), "the valid report behind the poison ones is stored");

        Map<String, String> reasons = deadLetters(key, 3);
        assertTrue(reasons.get("{ this is not json").startsWith("not a usage report"), reasons.toString());
        assertTrue(reasons.values().contains("missing tenant"), reasons.toString());
        assertTrue(reasons.values().contains("missing receivedAt"), reasons.toString());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("megacuration_analytics_dead_letters_total{reason=\"unparseable\"}"))
                .body(containsString("megacuration_analytics_dead_letters_total{reason=\"missing-field\"}"));
    }

    /** Value → reason of the dead letters with this key, waiting until there are as many as expected. */
    private Map<String, String> deadLetters(String key, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, String> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("usage-reports-dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        found.put(record.value(), new String(record.headers().lastHeader("dead-letter-reason").value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertEquals(expected, found.size(), found.toString());
        return found;
    }

    private long expands(String bundle) throws Exception {
        return Stored.number(clickhouse, "SELECT sum(expands) FROM span_reports WHERE tenant = ? AND bundle = ?",
                tenant, bundle);
    }
}
