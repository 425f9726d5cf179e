package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Servers and services of their own for one fault-test class: a second deploy/local instance (its own state
 * dir, data, ports and pid files) started before the class with the same scripts a person runs, and stopped
 * and deleted after it. What a fault test kills is then never what the rest of the suite runs on, and a
 * fault test that fails half-way leaves nothing broken behind.
 *
 * <p>Test methods and lifecycle methods take the instance's {@link Api} and the {@link LocalInstance} itself
 * (to stop, kill and restart its servers).
 */
public final class OwnInstance implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OwnInstance.class);

    /** Stopped and deleted by JUnit when the class's store closes, whatever the tests did. */
    private record Running(LocalInstance instance, Api api) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                instance.script("down"); // the services first, then the servers
            } finally {
                deleteTree(instance.stateDir());
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
        // Beside the shared instance's state dir, so deploy/local/test's clean start and `down` find it.
        Path stateDir = LocalInstance.shared().stateDir().resolveSibling(
                LocalInstance.shared().stateDir().getFileName() + "-" + name);
        LocalInstance instance = new LocalInstance(stateDir);
        deleteTree(stateDir); // a run killed half-way may have left it
        context.getStore(NAMESPACE).put(Running.class, new Running(instance, null));
        instance.script("up", "--servers-only");
        instance.script("services.sh", "start");
        context.getStore(NAMESPACE).put(Running.class, new Running(instance, instance.api()));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Api.class || type == LocalInstance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(Running.class, Running.class);
        return parameter.getParameter().getType() == Api.class ? running.api() : running.instance();
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
