package dev.megacuration.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import dev.megacuration.format.BundleFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small client of MegaCuration's public HTTP APIs, as any outside caller sees them: Keycloak tokens, the
 * portal's registry and consent API, the ingest edge and the analytics query API. Used by the demo loader
 * and the end-to-end tests, never by the services.
 */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String REALM = "megacuration";
    public static final String CLI_CLIENT = "megacuration-cli";

    /** A status, content type and parsed JSON body (null when the body is empty or not JSON). */
    public record Reply(int status, String contentType, JsonNode body, String raw) {
        public Reply requireStatus(int... expected) {
            for (int e : expected) {
                if (status == e) {
                    return this;
                }
            }
            throw new IllegalStateException("HTTP " + status + ": " + raw);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ServiceUrls urls;

    public Api(ServiceUrls urls) {
        this.urls = urls;
    }

    public ServiceUrls urls() {
        return urls;
    }

    /** Password grant on the realm's test/CLI client (never enabled on the portal's client). */
    public String token(String user, String password) {
        Map<String, String> form = Map.of("grant_type", "password", "client_id", CLI_CLIENT, "username", user,
                "password", password);
        Reply reply = send(HttpRequest.newBuilder(URI.create(urls.keycloak() + "/realms/" + REALM
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))).build());
        return reply.requireStatus(200).body().get("access_token").asText();
    }

    /** Uploads the four files of a release directory, each with its SHA-256, as one multipart request. */
    public Reply uploadRelease(String token, String tenant, String bundle, String version, Path dir) {
        try {
            Multipart body = new Multipart();
            for (String file : List.of("LOD0.ctx", "LOD1.ctx", "LOD2.ctx", "metadata.json")) {
                body.file(file, dir.resolve(file));
            }
            for (String file : List.of("LOD0.ctx", "LOD1.ctx", "LOD2.ctx", "metadata.json")) {
                body.field(checksumField(file), BundleFiles.sha256(dir.resolve(file)));
            }
            return send(HttpRequest.newBuilder(URI.create(releaseUrl(tenant, bundle, version)))
                    .timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", body.contentType())
                    .POST(body.publisher()).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The form field carrying a file's checksum: LOD0.ctx → lod0Sha256, metadata.json → metadataSha256. */
    public static String checksumField(String file) {
        return (file.endsWith(".ctx") ? file.substring(0, 4).toLowerCase() : "metadata") + "Sha256";
    }

    public String releaseUrl(String tenant, String bundle, String version) {
        return urls.portal() + "/api/tenants/" + tenant + "/bundles/" + bundle + "/releases/" + version;
    }

    public Reply registerDeployment(String token, String name) {
        return post(urls.portal() + "/api/deployments", token, Map.of("name", name));
    }

    public Reply setConsent(String token, String deploymentId, String tenant, String bundle, boolean optedIn) {
        return send(json(urls.portal() + "/api/deployments/" + deploymentId + "/consent", token)
                .PUT(body(Map.of("tenant", tenant, "bundle", bundle, "optedIn", optedIn))).build());
    }

    public Reply report(String ingestKey, Object report) {
        return post(urls.ingest() + "/v1/reports", ingestKey, report);
    }

    public Reply topExpanded(String token, String tenant, String bundle) {
        return get(urls.analytics() + "/v1/tenants/" + tenant + "/bundles/" + bundle + "/top-expanded", token);
    }

    public Reply stale(String token, String tenant, String bundle) {
        return get(urls.analytics() + "/v1/tenants/" + tenant + "/bundles/" + bundle + "/stale", token);
    }

    public Reply get(String url, String token) {
        return send(json(url, token).GET().build());
    }

    /** A consumer asks for the erasure of one of their deployments. */
    public Reply requestErasure(String token, String deploymentId) {
        return send(json(urls.portal() + "/api/deployments/" + deploymentId + "/erasure", token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public Reply erasure(String token, String deploymentId) {
        return get(urls.portal() + "/api/deployments/" + deploymentId + "/erasure", token);
    }

    /** An admin sets a tenant's plan: tier free, pro or enterprise, and optionally its own k. */
    public Reply setPlan(String token, String tenant, String tier, Integer minDeployments) {
        Map<String, Object> plan = new java.util.HashMap<>(Map.of("tier", tier));
        if (minDeployments != null) {
            plan.put("minDeployments", minDeployments);
        }
        return send(json(urls.portal() + "/api/admin/tenants/" + tenant + "/plan", token).PUT(body(plan)).build());
    }

    public Reply plan(String token, String tenant) {
        return get(urls.portal() + "/api/admin/tenants/" + tenant + "/plan", token);
    }

    /** A client-credentials token of a confidential client (the platform's service account). */
    public String clientToken(String clientId, String secret) {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret);
        Reply reply = send(HttpRequest.newBuilder(URI.create(urls.keycloak() + "/realms/" + REALM
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))).build());
        return reply.requireStatus(200).body().get("access_token").asText();
    }

    private Reply post(String url, String token, Object payload) {
        return send(json(url, token).POST(body(payload)).build());
    }

    private static HttpRequest.Builder json(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher body(Object payload) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * The sum of a service's Prometheus series named {@code name} whose labels contain every one of
     * {@code labels} (for example {@code outcome="accepted"}), read from its {@code /q/metrics}.
     */
    public double metricSum(String serviceUrl, String name, String... labels) {
        Reply scrape = send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics")).GET().build()).requireStatus(200);
        double sum = 0;
        for (String line : scrape.raw().split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (!response.body().isBlank()) {
                try {
                    body = JSON.readTree(response.body());
                } catch (IOException notJson) {
                    body = null;
                }
            }
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
