package dev.megacuration.e2e;

import dev.megacuration.deploy.Api;
import dev.megacuration.deploy.ServiceUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One deploy/local instance (a state dir with its own data, ports and pid files) and the scripts that act
 * on it, run as a person runs them: {@code instance.script("kafka.sh", "kill")}.
 */
final class LocalInstance {
    private final Path stateDir;

    LocalInstance(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** The instance deploy/local/test started for the whole run (MC_STATE_DIR). */
    static LocalInstance shared() {
        return new LocalInstance(ServiceUrls.envFileOfCurrentInstance().getParent());
    }

    Path stateDir() {
        return stateDir;
    }

    /** An API client for the instance's current addresses (read from its env file now). */
    Api api() throws IOException {
        return new Api(ServiceUrls.load(stateDir.resolve("env")));
    }

    void script(String name, String... args) throws IOException, InterruptedException {
        script(Map.of(), name, args);
    }

    /** Runs deploy/local/{name} on this instance with extra environment variables. */
    void script(Map<String, String> env, String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", repoRoot().resolve("deploy/local/" + name).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("MC_STATE_DIR", stateDir.toString());
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

    static Path repoRoot() {
        String root = System.getenv("MC_REPO_ROOT");
        return Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
    }
}
