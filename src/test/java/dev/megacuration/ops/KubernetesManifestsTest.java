package dev.megacuration.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * deploy/k8s read as a cluster would read it (the fabric8 Kubernetes model), checked for what matters
 * in production: every service probed on its Quarkus health endpoints, sized, configured only from the
 * ConfigMap and the Secret (every variable its application.properties reads, no secret as a literal),
 * locked down, reachable through a Service; ingest autoscaled; curation a CronJob that never overlaps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesManifestsTest {
    private static final Path REPO = Path.of(System.getenv().getOrDefault("MC_REPO_ROOT", "..")).toAbsolutePath().normalize();
    private static final Path K8S = REPO.resolve("deploy/k8s");
    private static final List<String> SERVICES = List.of("ingest-api", "analytics", "author-portal");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(MC_[A-Z0-9_]+)");
    /** Variables of the local scripts and benchmarks only; production sets the Quarkus keys directly. */
    private static final Set<String> LOCAL_ONLY = Set.of("MC_INGEST_BASELINE", "MC_INGEST_RATE", "MC_INGEST_BURST",
            "MC_ERASURE_POLL", "MC_MAX_UPLOAD_SIZE", "MC_CLICKHOUSE_HTTP_PORT");

    private final List<HasMetadata> objects = new ArrayList<>();
    private ConfigMap config;
    private Secret secret;

    @BeforeAll
    void readManifests() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    Object parsed = serialization.unmarshal(in);
                    if (parsed instanceof Collection<?> many) {
                        many.forEach(o -> objects.add((HasMetadata) o));
                    } else {
                        objects.add((HasMetadata) parsed);
                    }
                }
            }
        }
        config = one(ConfigMap.class, "megacuration-config");
        secret = one(Secret.class, "megacuration-secrets");
    }

    @Test
    void everyObjectIsInTheNamespaceAndNamedOnce() {
        Set<String> seen = new HashSet<>();
        for (HasMetadata object : objects) {
            assertEquals("megacuration", object.getMetadata().getNamespace(), object.getMetadata().getName());
            assertTrue(seen.add(object.getKind() + "/" + object.getMetadata().getName()), "duplicate " + object.getMetadata().getName());
        }
    }

    @Test
    void everyServiceRunsProbedSizedAndLockedDown() {
        for (String service : SERVICES) {
            List<Deployment> deployments = all(Deployment.class).stream()
                    .filter(d -> service.equals(d.getMetadata().getLabels().get("app.kubernetes.io/name"))).toList();
            assertFalse(deployments.isEmpty(), "a Deployment of " + service);
            for (Deployment deployment : deployments) {
                String name = deployment.getMetadata().getName();
                PodTemplateSpec template = deployment.getSpec().getTemplate();
                assertTrue(template.getMetadata().getLabels().entrySet()
                        .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()), name + " selects its pods");
                Container container = onlyContainer(template.getSpec(), name);
                assertTrue(container.getImage().contains("/" + service + ":"), name + " runs the " + service + " image");
                assertTrue(Files.exists(REPO.resolve(service).resolve("src/main/docker/Dockerfile.jvm")), service + " has a Dockerfile");
                assertProbe(container.getStartupProbe(), "/q/health/started", name);
                assertProbe(container.getLivenessProbe(), "/q/health/live", name);
                assertProbe(container.getReadinessProbe(), "/q/health/ready", name);
                assertEquals(8080, container.getPorts().get(0).getContainerPort(), name);
                assertEquals("0.0.0.0", literal(container, "QUARKUS_HTTP_HOST"), name + " listens beyond loopback");
                assertEquals("true", literal(container, "QUARKUS_LOG_CONSOLE_JSON_ENABLED"), name + " logs JSON");
                assertNotNull(container.getResources().getRequests().get("cpu"), name + " requests CPU");
                assertNotNull(container.getResources().getRequests().get("memory"), name + " requests memory");
                assertNotNull(container.getResources().getLimits().get("memory"), name + " is limited in memory");
                assertLockedDown(template.getSpec(), container, name);
                assertConfiguredFromConfigMapAndSecret(container, service, name);
            }
            Service front = one(Service.class, service);
            assertTrue(deployments.stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                    .containsAll(front.getSpec().getSelector().entrySet())), "the Service " + service + " selects its pods");
            assertEquals("http", front.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
    }

    @Test
    void ingestScalesOnCpuFromMoreThanOneReplica() {
        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class, "ingest-api");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("ingest-api", hpa.getSpec().getScaleTargetRef().getName());
        one(Deployment.class, "ingest-api");
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "never a single ingest replica");
        assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
        assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null
                && "cpu".equals(m.getResource().getName())), "scales on CPU");
    }

    @Test
    void onlyOneAnalyticsInstanceBuildsTheRollups() {
        List<Deployment> builders = all(Deployment.class).stream()
                .filter(d -> "true".equals(literal(onlyContainer(d.getSpec().getTemplate().getSpec(), d.getMetadata().getName()),
                        "MEGACURATION_ANALYTICS_ROLLUP_BUILDER"))).toList();
        assertEquals(1, builders.size(), "exactly one Deployment runs the builder");
        assertEquals(1, builders.get(0).getSpec().getReplicas());
        assertEquals("Recreate", builders.get(0).getSpec().getStrategy().getType(), "never two builders during a rollout");
    }

    @Test
    void curationRunsAsACronJobThatNeverOverlapsItself() {
        List<CronJob> jobs = all(CronJob.class);
        assertFalse(jobs.isEmpty(), "a curation CronJob");
        for (CronJob job : jobs) {
            String name = job.getMetadata().getName();
            assertEquals(5, job.getSpec().getSchedule().trim().split("\\s+").length, name + " has a cron schedule");
            assertEquals("Forbid", job.getSpec().getConcurrencyPolicy(), name);
            PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
            assertEquals("Never", pod.getRestartPolicy(), name);
            Container container = onlyContainer(pod, name);
            assertTrue(container.getImage().contains("/curation-runner:"), name);
            assertTrue(Files.exists(REPO.resolve("curation-runner/src/main/docker/Dockerfile.jvm")));
            assertLockedDown(pod, container, name);
            assertConfiguredFromConfigMapAndSecret(container, "curation-runner", name);
        }
    }

    /** The Secret holds every secret key, and no manifest sets a password, key or secret as a literal. */
    @Test
    void secretsComeOnlyFromTheSecret() {
        for (Deployment deployment : all(Deployment.class)) {
            for (EnvVar env : onlyContainer(deployment.getSpec().getTemplate().getSpec(), deployment.getMetadata().getName()).getEnv()) {
                if (env.getName().matches(".*(PASSWORD|SECRET|KEK).*")) {
                    assertNotNull(env.getValueFrom(), env.getName() + " of " + deployment.getMetadata().getName());
                    assertNotNull(env.getValueFrom().getSecretKeyRef(), env.getName() + " comes from a Secret");
                }
            }
        }
        config.getData().keySet().forEach(key -> assertFalse(key.matches(".*(PASSWORD|SECRET|KEK).*"),
                key + " belongs in the Secret"));
    }

    private void assertConfiguredFromConfigMapAndSecret(Container container, String service, String name) {
        Set<String> provided = new TreeSet<>();
        boolean fromConfigMap = container.getEnvFrom() != null && container.getEnvFrom().stream()
                .anyMatch(e -> e.getConfigMapRef() != null && "megacuration-config".equals(e.getConfigMapRef().getName()));
        if (fromConfigMap) {
            provided.addAll(config.getData().keySet());
        }
        for (EnvVar env : container.getEnv()) {
            provided.add(env.getName());
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                assertEquals("megacuration-secrets", env.getValueFrom().getSecretKeyRef().getName(), name);
                assertTrue(secret.getStringData().containsKey(env.getValueFrom().getSecretKeyRef().getKey()),
                        name + ": the Secret has " + env.getValueFrom().getSecretKeyRef().getKey());
            }
            if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                assertEquals("megacuration-config", env.getValueFrom().getConfigMapKeyRef().getName(), name);
                assertTrue(config.getData().containsKey(env.getValueFrom().getConfigMapKeyRef().getKey()),
                        name + ": the ConfigMap has " + env.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }
        Set<String> missing = new TreeSet<>(variablesOf(service));
        missing.removeAll(provided);
        missing.removeAll(LOCAL_ONLY);
        // A port variable is set literally per service (8080), the listening host by QUARKUS_HTTP_HOST.
        missing.removeIf(v -> v.endsWith("_PORT") && !v.startsWith("MC_PG"));
        assertEquals(Set.of(), missing, name + " gets every variable its application.properties reads");
    }

    private static Set<String> variablesOf(String service) {
        try {
            Matcher m = PLACEHOLDER.matcher(Files.readString(REPO.resolve(service).resolve("src/main/resources/application.properties")));
            Set<String> names = new TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertLockedDown(PodSpec pod, Container container, String name) {
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), name + " runs as non-root");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), name + " needs no Kubernetes API token");
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation(), name);
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem(), name);
        assertTrue(container.getSecurityContext().getCapabilities().getDrop().contains("ALL"), name + " drops capabilities");
    }

    private static void assertProbe(Probe probe, String path, String name) {
        assertNotNull(probe, name + " probe " + path);
        assertEquals(path, probe.getHttpGet().getPath(), name);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), name);
    }

    private static String literal(Container container, String variable) {
        return container.getEnv().stream().filter(e -> e.getName().equals(variable)).map(EnvVar::getValue)
                .findFirst().orElse(null);
    }

    private static Container onlyContainer(PodSpec pod, String name) {
        assertEquals(1, pod.getContainers().size(), name + " has one container");
        return pod.getContainers().get(0);
    }

    /** Health and metrics (/q/*) answer inside the cluster only: no public path reaches them. */
    @Test
    void theIngressKeepsHealthAndMetricsInside() {
        List<io.fabric8.kubernetes.api.model.networking.v1.Ingress> ingresses = all(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);
        assertFalse(ingresses.isEmpty(), "an Ingress");
        int paths = 0;
        for (var ingress : ingresses) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    paths++;
                    boolean reachesQ = "Prefix".equals(path.getPathType()) && ("/q/metrics".startsWith(path.getPath())
                            || "/q/health".startsWith(path.getPath()));
                    assertFalse(reachesQ, rule.getHost() + path.getPath() + " would publish /q/*");
                    assertTrue(SERVICES.contains(path.getBackend().getService().getName()), path.getPath());
                }
            }
        }
        assertTrue(paths > 1);
    }

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " " + name);
        return found.get(0);
    }
}
