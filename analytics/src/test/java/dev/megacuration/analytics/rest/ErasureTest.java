package dev.megacuration.analytics.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.megacuration.analytics.support.Stored;
import dev.megacuration.analytics.support.Tokens;
import dev.megacuration.analytics.support.UsageTopic;
import dev.megacuration.analytics.support.UsageTopic.Expand;
import dev.megacuration.privacy.erasure.ErasureRepository;
import dev.megacuration.privacy.erasure.ErasureRequest;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import dev.megacuration.privacy.tier.Tier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A consumer's erasure, end to end on the real PostgreSQL, Kafka and ClickHouse: the request as the portal
 * files it, analytics carrying it out, the numbers afterwards equal to those of a world where the
 * deployment never reported, and a replay of its records changing nothing.
 */
@QuarkusTest
class ErasureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SPAN = (1L << 56) | 3;
    // A closed day: its stored aggregates must be rebuilt without the erased deployment too.
    private static final Instant HOUR = LocalDate.now(ZoneOffset.UTC).minusDays(3).atStartOfDay(ZoneOffset.UTC)
            .toInstant().plus(Duration.ofHours(8));

    @Inject
    Pool postgres;

    @Inject
    Pseudonymizer pseudonymizer;

    @Inject
    ErasureRepository erasures;

    @Inject
    TenantPlans plans;

    @Inject
    @DataSource("clickhouse")
    AgroalDataSource clickhouse;

    private final String tenant = "erasure-" + UUID.randomUUID().toString().substring(0, 8);
    private final String bundle = "guide";

    @Test
    void anErasedDeploymentNoLongerChangesAnyNumberEvenAfterAReplay() throws Exception {
        plans.change(new TenantPlan(tenant, Tier.ENTERPRISE, null), "test").await().atMost(WAIT);
        List<UUID> deployments = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        try (UsageTopic topic = new UsageTopic()) {
            for (int d = 0; d < 7; d++) {
                UUID id = register("consumer-" + d);
                deployments.add(id);
                String pseudonym = pseudonymizer.pseudonym(tenant, id, HOUR).await().atMost(WAIT);
                // Deployment 0 is the one that leaves; its use stands out so a leftover would show.
                String event = UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", pseudonym, HOUR,
                        List.of(new Expand(SPAN, d == 0 ? 1000 : 10)), List.of());
                topic.send(tenant, bundle, event);
                if (d == 0) {
                    sent.add(event);
                }
            }
        }
        Stored.await(clickhouse, tenant, bundle, 7);
        String token = Tokens.service();
        assertEquals(1060, expands(token), "before: everyone's use");

        ErasureRequest filed = erasures.request(deployments.get(0), "subject-consumer-0", "2026-11")
                .await().atMost(WAIT);
        assertEquals(ErasureRequest.REQUESTED, filed.status());
        assertNull(erasures.request(deployments.get(0), "somebody-else", "2026-11").await().atMost(WAIT),
                "only the owner can ask");
        ErasureRequest done = awaitCompleted(deployments.get(0));
        assertEquals(1L, done.rowsErased());
        assertNotNull(done.completedAt());

        assertEquals(60, expands(token), "after: as if deployment 0 had never reported");
        assertEquals(60, Stored.number(clickhouse, "SELECT sum(expands) FROM span_daily WHERE tenant = ?", tenant),
                "the stored daily sums were rebuilt without it before the request completed");
        assertEquals(6, deploymentsOf(token));
        assertEquals(0, pseudonymRows(pseudonymizer.pseudonym(tenant, deployments.get(0), HOUR).await().atMost(WAIT)));

        // A replay of the topic (or a record still in flight) must not bring it back. The marker report
        // after it shows the consumer has read past the replayed record.
        try (UsageTopic topic = new UsageTopic()) {
            sent.forEach(event -> topic.send(tenant, bundle, event));
            // A report that was still in flight: a new id, so ClickHouse's insert deduplication cannot help.
            String erasedPseudonym = pseudonymizer.pseudonym(tenant, deployments.get(0), HOUR).await().atMost(WAIT);
            topic.send(tenant, bundle, UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", erasedPseudonym,
                    HOUR, List.of(new Expand(SPAN, 1000)), List.of()));
            String marker = pseudonymizer.pseudonym(tenant, deployments.get(1), HOUR).await().atMost(WAIT);
            topic.send(tenant, bundle, UsageTopic.event(UUID.randomUUID(), tenant, bundle, "1.0.0", marker,
                    HOUR, List.of(new Expand(SPAN, 5)), List.of()));
        }
        Stored.await(clickhouse, tenant, bundle, 7);
        // A report about a closed day shows within a second (the service re-reads its dirty days once a second).
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (expands(token) != 65 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(65, expands(token), "the replayed and in-flight records are refused; only the marker counts");
        assertEquals(2, auditEvents(deployments.get(0)), "requested and completed are audited");
    }

    private UUID register(String name) {
        UUID id = UUID.randomUUID();
        postgres.preparedQuery("INSERT INTO privacy.deployment (id, owner_subject, name, ingest_key_hash) "
                        + "VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, "subject-" + name, name, "hash-" + id)).await().atMost(WAIT);
        postgres.preparedQuery("INSERT INTO privacy.consent_event (deployment_id, tenant, bundle, opted_in, "
                        + "contract_version, actor_subject) VALUES ($1, $2, $3, true, '2026-11', $4)")
                .execute(Tuple.of(id, tenant, bundle, "subject-" + name)).await().atMost(WAIT);
        return id;
    }

    private ErasureRequest awaitCompleted(UUID deployment) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        ErasureRequest request = null;
        while (System.nanoTime() < deadline) {
            request = erasures.statusFor(deployment, "subject-consumer-0").await().atMost(WAIT);
            if (ErasureRequest.COMPLETED.equals(request.status())) {
                return request;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("erasure never completed: " + request);
    }

    private long expands(String token) {
        JsonPath answer = given().auth().oauth2(token).get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/top-expanded")
                .then().statusCode(200).extract().jsonPath();
        return answer.getLong("spans.find { it.spanId == " + SPAN + "L }.expands");
    }

    private long deploymentsOf(String token) {
        return given().auth().oauth2(token).get("/v1/tenants/" + tenant + "/bundles/" + bundle + "/top-expanded")
                .then().statusCode(200).extract().jsonPath().getLong("spans[0].deployments");
    }

    private long pseudonymRows(String pseudonym) throws Exception {
        return Stored.number(clickhouse, "SELECT count() FROM span_reports WHERE tenant = ? AND deployment = ?",
                tenant, pseudonym);
    }

    private long auditEvents(UUID deployment) {
        return postgres.preparedQuery("SELECT count(*) FROM privacy.audit_event WHERE subject = $1")
                .execute(Tuple.of(deployment.toString())).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
