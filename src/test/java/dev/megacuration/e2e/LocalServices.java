package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import java.io.IOException;
import java.nio.file.Path;
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
                return new Instance(LocalInstance.shared().api());
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
        return LocalInstance.repoRoot();
    }

    static void run(String action) throws IOException, InterruptedException {
        script("services.sh", action);
    }

    /** Runs one of the deploy/local scripts on the shared instance, e.g. {@code script("kafka.sh", "stop")}. */
    static void script(String name, String... args) throws IOException, InterruptedException {
        LocalInstance.shared().script(name, args);
    }

    /** The same, with extra environment variables for the script. */
    static void script(java.util.Map<String, String> env, String name, String... args) throws IOException, InterruptedException {
        LocalInstance.shared().script(env, name, args);
    }
}
