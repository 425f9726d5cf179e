package dev.megacuration.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.ingestclient.IngestClient;
import dev.megacuration.ingestclient.UsageReport;
import java.net.URI;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Loads the demo: two author organisations with one bundle each (real .ctx files, uploaded to the
 * portal), a consumer with consenting deployments, and three days of usage reports sent through the
 * ingest edge. Some spans are reported by fewer than k deployments on purpose: the portal must hide them.
 * Running it again is harmless: a registered demo release means the data is already there.
 */
public final class DemoData {
    static final String[] REASONS = {"outdated", "wrong", "irrelevant"};

    /** One demo bundle, the author who uploads it, and how many deployments opt in. */
    record DemoBundle(String tenant, String author, String bundle, String version, long tokens, int optedIn) {
    }

    static final List<DemoBundle> BUNDLES = List.of(
            new DemoBundle("acme", "alice", "support-handbook", "1.0.0", 1 << 22, 8),
            new DemoBundle("globex", "bob", "codebase-guide", "1.0.0", 1 << 18, 6));

    public static void main(String[] args) throws Exception {
        ServiceUrls urls = ServiceUrls.load(ServiceUrls.envFileOfCurrentInstance());
        Path releases = Path.of(System.getenv("MC_STATE_DIR"), "releases");
        new DemoData(new Api(urls)).load(releases);
    }

    private final Api api;

    DemoData(Api api) {
        this.api = api;
    }

    void load(Path releases) throws Exception {
        // acme pays for everything (per-version, hourly, stale reasons); globex shows the free tier's limits.
        String admin = api.clientToken("megacuration-service", "service-secret");
        api.setPlan(admin, "acme", "enterprise", null).requireStatus(200);
        api.setPlan(admin, "globex", "free", null).requireStatus(200);
        System.out.println("demo: plans acme=enterprise, globex=free");
        Map<DemoBundle, Boolean> fresh = new LinkedHashMap<>();
        for (DemoBundle b : BUNDLES) {
            Path dir = releases.resolve(b.tenant()).resolve(b.bundle()).resolve(b.version());
            new DemoBundleGenerator(b.tokens(), 64, "demo-model", b.bundle().hashCode()).writeTo(dir);
            int status = api.uploadRelease(api.token(b.author(), b.author()), b.tenant(), b.bundle(), b.version(), dir)
                    .requireStatus(201, 409).status();
            fresh.put(b, status == 201);
            System.out.printf("demo: %s/%s %s %s (%s)%n", b.tenant(), b.bundle(), b.version(),
                    status == 201 ? "registered" : "already registered", dir);
        }
        if (!fresh.containsValue(true)) {
            System.out.println("demo: data already loaded");
            return;
        }
        String consumer = api.token("carol", "carol");
        int deployments = BUNDLES.stream().mapToInt(DemoBundle::optedIn).max().orElse(0);
        int sent = 0;
        for (int d = 0; d < deployments; d++) {
            JsonNode deployment = api.registerDeployment(consumer, "demo-deployment-" + (d + 1))
                    .requireStatus(201).body();
            String id = deployment.get("id").asText();
            String key = deployment.get("ingestKey").asText();
            for (DemoBundle b : BUNDLES) {
                if (d < b.optedIn() && fresh.get(b)) {
                    api.setConsent(consumer, id, b.tenant(), b.bundle(), true).requireStatus(200);
                    sent += sendUsage(key, b, d);
                }
            }
        }
        System.out.printf("demo: %d deployments sent %d reports%n", deployments, sent);
        awaitAnalytics(BUNDLES.get(0));
    }

    /**
     * Three daily reports per deployment. LOD1 spans 0-9 and LOD2 spans 0-3 are expanded by every
     * deployment; LOD1 spans 10-19 only by three deployments (below k = 5, so never shown); LOD1 spans
     * 900-905 are reported stale by the first five deployments.
     */
    private int sendUsage(String ingestKey, DemoBundle b, int deployment) {
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<UsageReport> reports = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            UsageReport report = UsageReport.of(UUID.randomUUID(), b.tenant(), b.bundle(), b.version(),
                    today.minus(day, ChronoUnit.DAYS));
            for (int i = 0; i < 10; i++) {
                report.expand(SpanId.of(1, i), 1 + (40 - 3 * i + 7 * deployment + day) % 23);
            }
            for (int i = 0; i < 4; i++) {
                report.expand(SpanId.of(2, i), 2 + (deployment + i + day) % 5);
            }
            if (deployment < 3) {
                for (int i = 10; i < 20; i++) {
                    report.expand(SpanId.of(1, i), 50);
                }
            }
            if (deployment < 5 && day == 1) {
                for (int i = 900; i < 906; i++) {
                    report.stale(SpanId.of(1, i), REASONS[(i + deployment) % REASONS.length]);
                }
            }
            reports.add(report);
        }
        // As a consumer deployment would: one gzip-compressed batch through the reference client.
        IngestClient client = IngestClient.builder(URI.create(api.urls().ingest()), ingestKey).gzip(true).build();
        for (IngestClient.Result result : client.sendBatch(reports)) {
            if (!result.accepted()) {
                throw new IllegalStateException("demo report refused: " + result);
            }
        }
        return reports.size();
    }

    private void awaitAnalytics(DemoBundle b) throws InterruptedException {
        String token = api.token(b.author(), b.author());
        for (int attempt = 0; attempt < 120; attempt++) {
            Api.Reply reply = api.topExpanded(token, b.tenant(), b.bundle());
            if (reply.status() == 200 && reply.body().get("spans").size() > 0) {
                System.out.printf("demo: analytics shows %d top-expanded spans for %s/%s%n",
                        reply.body().get("spans").size(), b.tenant(), b.bundle());
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("analytics did not show the demo reports within 60 s");
    }
}
