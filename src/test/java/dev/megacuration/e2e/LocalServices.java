package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the three services once per test run with deploy/local/services.sh (the same script a person
 * runs), against the servers deploy/local/test started, and stops them when the run ends.
 */
public final class LocalServices implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServices.class);

    /** The running instance, closed by JUnit at the end of the whole run. */
    static final class Instance implements ExtensionContext.Store.CloseableResource {
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

    static Api api(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).get(Instance.class, Instance.class).api;
    }

    static Path repoRoot() {
        String root = System.getenv("MC_REPO_ROOT");
        return Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
    }

    static void run(String action) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("bash", repoRoot().resolve("deploy/local/services.sh").toString(),
                action)).inheritIO().start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("deploy/local/services.sh " + action + " failed");
        }
    }
}
