package dev.megacuration.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.megacuration.deploy.Api;
import dev.megacuration.format.DemoBundleGenerator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input run: a generated corpus (seeded, so a failure can be replayed) of malformed, truncated,
 * oversized, deeply nested, wrong-typed, badly encoded and compressed-bomb reports, plus malformed, foreign
 * and unauthenticated queries, against the running ingest and analytics services. Every answer is a 4xx
 * problem without a stack trace, the services stay up, and nothing of it is accepted.
 */
@ExtendWith(LocalServices.class)
class HostileInputE2ETest {
    private static final long SEED = 20261127L;
    private static final int MUTATIONS = 300;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    @Test
    void malformedReportsAndQueriesGetOnlyClearRefusals(Api api, @TempDir Path dir) throws Exception {
        String alice = api.token("alice", "alice");
        String bob = api.token("bob", "bob");
        String carol = api.token("carol", "carol");
        String bundle = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        new DemoBundleGenerator(10_000, 16, "hostile-model", 3).writeTo(dir);
        api.uploadRelease(alice, "acme", bundle, "1.0.0", dir).requireStatus(201);
        JsonNode deployment = api.registerDeployment(carol, "hostile").requireStatus(201).body();
        String key = deployment.get("ingestKey").asText();
        api.setConsent(carol, deployment.get("id").asText(), "acme", bundle, true).requireStatus(200);
        String valid = validReport(bundle);
        double acceptedBefore = acceptedReports(api);

        SplittableRandom random = new SplittableRandom(SEED);
        String reports = api.urls().ingest() + "/v1/reports";
        String batch = api.urls().ingest() + "/v1/reports:batch";
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] body = mutate(valid, random);
            send(i % 5 == 4 ? batch : reports, "Bearer " + key, "application/json", null, body);
        }
        // The classes the issue names, each at least once.
        send(reports, "Bearer " + key, "application/json", null, deepNesting(100_000));
        send(reports, "Bearer " + key, "application/json", null, new byte[2 * 1024 * 1024 + 7]);
        send(reports, "Bearer " + key, "application/json", "gzip", gzipBomb());
        send(reports, "Bearer " + key, "application/json", "gzip", "not gzip at all".getBytes(StandardCharsets.UTF_8));
        byte[] gzipped = gzip(valid.getBytes(StandardCharsets.UTF_8));
        send(reports, "Bearer " + key, "application/json", "gzip", java.util.Arrays.copyOf(gzipped, gzipped.length / 2));
        send(reports, "Bearer " + key, "application/json", "br", gzipped);
        send(reports, "Bearer " + key, "application/json", null, valid.replace("acme", "ac\u00ffme").getBytes(StandardCharsets.ISO_8859_1));
        send(reports, "Bearer " + key, "text/plain", null, valid.getBytes(StandardCharsets.UTF_8));
        send(reports, "Bearer " + key, "application/json", null, new byte[0]);
        send(reports, "Bearer " + key, "application/json", null, "[]".getBytes(StandardCharsets.UTF_8));
        send(batch, "Bearer " + key, "application/json", null, "{\"reports\":[]}".getBytes(StandardCharsets.UTF_8));
        send(reports, null, "application/json", null, valid.getBytes(StandardCharsets.UTF_8));
        send(reports, "Bearer mcd_forged", "application/json", null, valid.getBytes(StandardCharsets.UTF_8));
        send(reports, "Basic YWxpY2U6YWxpY2U=", "application/json", null, valid.getBytes(StandardCharsets.UTF_8));
        send(reports, "Bearer " + alice, "application/json", null, valid.getBytes(StandardCharsets.UTF_8));

        // Queries: malformed parameters, another tenant's bundle, no or a forged token.
        String base = api.urls().analytics() + "/v1/tenants/acme/bundles/" + bundle;
        List<String> queries = new ArrayList<>(List.of("/top-expanded?limit=-1", "/top-expanded?limit=99999999999",
                "/top-expanded?offset=abc", "/top-expanded?from=2026-13-45", "/top-expanded?from=2026-01-01&to=2025-01-01",
                "/top-expanded?format=xml", "/top-expanded?span=notanumber", "/top-expanded?version=..%2F..%2Fetc",
                "/stale?limit=0", "/spans/99999999999999999999999/trend", "/spans/1/trend?bucket=minute",
                "/trend?from=yesterday", "/compare?base=1.0.0", "/compare?base=1.0.0&target=%00",
                "/versions/1.0.0/summary?from=2026-02-30", "/versions/%2e%2e/summary"));
        for (int i = 0; i < 40; i++) {
            queries.add("/top-expanded?" + randomParam(random) + "=" + URLEncoder.encode(randomText(random), StandardCharsets.UTF_8));
        }
        for (String query : queries) {
            get(base + query, "Bearer " + alice);
        }
        get(base + "/top-expanded", "Bearer " + bob);
        get(base + "/top-expanded", null);
        get(base + "/top-expanded", "Bearer not.a.jwt");
        get(api.urls().analytics() + "/v1/tenants/ACME;DROP/bundles/x/top-expanded", "Bearer " + alice);

        System.out.println("hostile input: statuses " + statuses);
        assertEquals(List.of(), failures, "only 4xx problems without stack traces");
        for (String service : List.of(api.urls().ingest(), api.urls().analytics())) {
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(service + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), service + " stays up");
        }
        assertEquals(acceptedBefore, acceptedReports(api), 0.0, "nothing hostile was accepted");
        // And the edge still works for the honest report.
        assertEquals(202, api.report(key, Api.JSON.readTree(valid)).status());
    }

    private void send(String url, String authorization, String contentType, String encoding, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                // Over the limit the edge answers 413 and closes at once; a client that sends the whole body
                // first may see the close instead of the answer, so it asks before sending, as curl does.
                .expectContinue(body.length > 1024 * 1024).version(HttpClient.Version.HTTP_1_1);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        check("POST " + url + " (" + body.length + " bytes)", request.build());
    }

    private void get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        check("GET " + url, request.build());
    }

    private void check(String what, HttpRequest request) throws Exception {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            failures.add(what + ": no answer (" + e + ")");
            return;
        }
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        String body = response.body();
        if (status < 400 || status >= 500) {
            failures.add(what + ": HTTP " + status + " " + abbreviate(body));
        } else if (body.contains("\tat ") || body.contains("Exception") || body.contains("dev.megacuration.")) {
            failures.add(what + ": a stack trace or class name in the body: " + abbreviate(body));
        }
    }

    private static byte[] mutate(String valid, SplittableRandom random) {
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(8)) {
            case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncated
            case 1 -> { // a random byte flipped into a byte that cannot be UTF-8
                byte[] copy = bytes.clone();
                copy[random.nextInt(copy.length)] = (byte) (0xC0 | random.nextInt(2));
                yield copy;
            }
            case 2 -> valid.replaceFirst("\"expands\":\\d+", java.util.regex.Matcher.quoteReplacement("\"expands\":" + wrongValue(random))).getBytes(StandardCharsets.UTF_8);
            case 3 -> valid.replaceFirst("\"spanId\":\"\\d+\"", java.util.regex.Matcher.quoteReplacement("\"spanId\":" + wrongValue(random))).getBytes(StandardCharsets.UTF_8);
            case 4 -> valid.replaceFirst("\"windowStart\":\"[^\"]+\"", java.util.regex.Matcher.quoteReplacement("\"windowStart\":" + wrongValue(random))).getBytes(StandardCharsets.UTF_8);
            case 5 -> valid.replaceFirst("\"reportId\":\"[^\"]+\"", java.util.regex.Matcher.quoteReplacement("\"reportId\":" + wrongValue(random))).getBytes(StandardCharsets.UTF_8);
            case 6 -> valid.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement("{\"" + randomText(random).replace("\"", "") + "\":1,")).getBytes(StandardCharsets.UTF_8);
            default -> randomText(random).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String wrongValue(SplittableRandom random) {
        return switch (random.nextInt(9)) {
            case 0 -> "\"text\"";
            case 1 -> "[1,2,3]";
            case 2 -> "{\"a\":{}}";
            case 3 -> "1e400";
            case 4 -> "-1";
            case 5 -> "99999999999999999999999999999";
            case 6 -> "true";
            case 7 -> "\"" + "9".repeat(30) + "\"";
            default -> "\"\\ud800\"";
        };
    }

    private static String randomText(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(64);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
        }
        return text.toString();
    }

    private static String randomParam(SplittableRandom random) {
        String[] names = {"limit", "offset", "from", "to", "version", "format", "span"};
        return names[random.nextInt(names.length)];
    }

    private static byte[] deepNesting(int depth) {
        return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
    }

    /** 200 MB of zeros in about 200 KB: the edge must stop at its 1 MiB limit, not inflate it all. */
    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] gzipBomb() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private static String validReport(String bundle) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
        return "{\"reportId\":\"" + UUID.randomUUID() + "\",\"tenant\":\"acme\",\"bundle\":\"" + bundle
                + "\",\"version\":\"1.0.0\",\"windowStart\":\"" + start + "\",\"windowEnd\":\"" + start.plus(1, ChronoUnit.HOURS)
                + "\",\"spans\":[{\"spanId\":\"72057594037927939\",\"expands\":3,\"collapses\":1}],\"stale\":[]}";
    }

    private static double acceptedReports(Api api) {
        return api.metricSum(api.urls().ingest(), "megacuration_ingest_reports_total", "outcome=\"accepted\"");
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
