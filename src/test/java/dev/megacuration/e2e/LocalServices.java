package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the three services once per test run with deploy/local/services.sh (the same script a person
 * runs), against the servers deploy/local/test started, and stops them when the run ends.
 */
public final class LocalServices implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServices.class);

    /** The running instance, closed by JUnit at the end of the whole run. */
    static final class Instance implements AutoCloseable {
        final Api api;

        Instance(Api api) {
            this.api = api;
        }

        @Override
        public void close() throws Exception {
            run("stop");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Instance.class, key -> {
            try {
                run("start");
                return new Instance(new Api(ServiceUrls.load(ServiceUrls.envFileOfCurrentInstance())));
            } catch (Exception e) {
                throw new IllegalStateException("could not start the services: " + e.getMessage(), e);
            }
        }, Instance.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Api.class;
    }

    /** Test methods and lifecycle methods take an {@link Api} bound to the running instance. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).get(Instance.class, Instance.class).api;
    }

    static Path repoRoot() {
        String root = System.getenv("MC_REPO_ROOT");
        return Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
    }

    static void run(String action) throws IOException, InterruptedException {
        script("services.sh", action);
    }

    /** Runs one of the deploy/local scripts on this instance, e.g. {@code script("kafka.sh", "stop")}. */
    static void script(String name, String... args) throws IOException, InterruptedException {
        script(java.util.Map.of(), name, args);
    }

    /** The same, with extra environment variables for the script. */
    static void script(java.util.Map<String, String> env, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash",
                repoRoot().resolve("deploy/local/" + name).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        // Read through System.out rather than inheriting the descriptors: Surefire owns this JVM's stdout.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(output);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("deploy/local/" + name + " " + String.join(" ", args) + " failed:\n"
                    + output);
        }
    }
}
