package dev.megacuration.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.ingestclient.UsageReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The set-up most pipeline tests share: a fresh acme bundle uploaded by alice, and deployments of carol's
 * that consent to it; plus the published expand count of one span (what an author sees).
 */
final class ConsentingBundle {
    final Api api;
    final String bundle;
    final List<String> deploymentIds = new ArrayList<>();
    final List<String> ingestKeys = new ArrayList<>();
    private final String alice;
    private final Instant createdAt = Instant.now();

    private ConsentingBundle(Api api, String bundle) {
        this.api = api;
        this.bundle = bundle;
        this.alice = api.token("alice", "alice");
    }

    static ConsentingBundle create(Api api, Path dir, String prefix, int deployments) throws Exception {
        ConsentingBundle created = new ConsentingBundle(api, prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        new DemoBundleGenerator(10_000, 16, prefix + "-model", 9).writeTo(dir);
        api.uploadRelease(created.alice, "acme", created.bundle, "1.0.0", dir).requireStatus(201);
        String carol = api.token("carol", "carol");
        for (int d = 0; d < deployments; d++) {
            JsonNode deployment = api.registerDeployment(carol, prefix + "-" + d).requireStatus(201).body();
            created.deploymentIds.add(deployment.get("id").asText());
            created.ingestKeys.add(deployment.get("ingestKey").asText());
            api.setConsent(carol, deployment.get("id").asText(), "acme", created.bundle, true).requireStatus(200);
        }
        return created;
    }

    /**
     * A new report of one expand of {@code span} by the usage of the day the bundle was created (today, as a
     * running deployment reports it): its rows land in an open day, whose pieces the open-day refresher keeps.
     * The day is fixed for the bundle: a test that runs over midnight would otherwise split its reports over
     * two days, and a day's cell stays unpublished until k deployments reported for it (a CI run at midnight
     * failed on that, with reports of yesterday's usage).
     */
    UsageReport report(long span) {
        return report(span, createdAt);
    }

    /** A new report of one expand of {@code span} by the usage of the UTC day of {@code day}. */
    UsageReport report(long span, Instant day) {
        return UsageReport.of(UUID.randomUUID(), "acme", bundle, "1.0.0", day).expand(span, 1);
    }

    /** The span's published expands, -1 while the API does not answer 200. */
    long expands(long span) {
        Api.Reply top = api.topExpanded(alice, "acme", bundle);
        if (top.status() != 200) {
            return -1;
        }
        for (JsonNode entry : top.body().get("spans")) {
            if (entry.get("spanId").asLong() == span) {
                return entry.get("expands").asLong();
            }
        }
        return 0;
    }

    /**
     * Waits (up to two minutes) until the span's count reaches {@code expected}, then 3 s more, and returns
     * the count then: a late double count shows as more than expected.
     */
    long awaitExpands(long span, long expected) throws InterruptedException {
        long seen = -1;
        for (int attempt = 0; attempt < 240; attempt++) {
            seen = expands(span);
            if (seen >= expected) {
                Thread.sleep(3000);
                return expands(span);
            }
            Thread.sleep(500);
        }
        return seen;
    }
}
