package dev.megacuration.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the servers and services of one local instance listen, read from the {@code env} file that
 * deploy/local writes into its state directory.
 */
public record ServiceUrls(String keycloak, String portal, String ingest, String analytics, Map<String, String> env) {
    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z0-9_]+)=(.*)$");

    public static ServiceUrls load(Path envFile) throws IOException {
        Map<String, String> env = new HashMap<>();
        if (Files.exists(envFile)) {
            for (String line : Files.readAllLines(envFile)) {
                Matcher m = EXPORT.matcher(line.strip());
                if (m.matches()) {
                    env.put(m.group(1), unquote(m.group(2)));
                }
            }
        }
        return new ServiceUrls(require(env, "MC_KEYCLOAK_URL"), require(env, "MC_PORTAL_URL"),
                require(env, "MC_INGEST_URL"), require(env, "MC_ANALYTICS_URL"), Map.copyOf(env));
    }

    /** The env file of the instance named by MC_STATE_DIR. */
    public static Path envFileOfCurrentInstance() {
        String stateDir = System.getenv("MC_STATE_DIR");
        if (stateDir == null || stateDir.isBlank()) {
            throw new IllegalStateException("MC_STATE_DIR is not set: run through deploy/local/test or deploy/local/up");
        }
        return Path.of(stateDir, "env");
    }

    private static String require(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is missing from the instance's env file");
        }
        return value;
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
