package dev.megacuration.analytics.repository;

import dev.megacuration.analytics.config.AnalyticsConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies the reviewed DDL files under {@code db/clickhouse/} in the order of its {@code index.txt}, once
 * each, recording them in {@code schema_migrations}. ClickHouse has no transactions, so every file is
 * written to be safe to re-run (IF NOT EXISTS) should a start-up die half-way; a file may hold several
 * statements, each sent on its own.
 */
@ApplicationScoped
public class ClickHouseMigrations {
    private static final Logger LOG = Logger.getLogger(ClickHouseMigrations.class);
    private static final String ROOT = "db/clickhouse/";

    private final AgroalDataSource clickhouse;
    private final AnalyticsConfig config;

    public ClickHouseMigrations(@DataSource("clickhouse") AgroalDataSource clickhouse, AnalyticsConfig config) {
        this.clickhouse = clickhouse;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) throws SQLException {
        if (config.migrateAtStart()) {
            migrate();
        }
    }

    public void migrate() throws SQLException {
        try (Connection connection = clickhouse.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations
                    (name String, applied_at DateTime('UTC') DEFAULT now())
                    ENGINE = MergeTree ORDER BY name""");
            Set<String> applied = applied(connection);
            for (String name : index()) {
                if (applied.contains(name)) {
                    continue;
                }
                LOG.infof("Applying ClickHouse migration %s", name);
                for (String sql : statements(resource(name))) {
                    statement.execute(sql);
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_migrations (name) VALUES (?)")) {
                    record.setString(1, name);
                    record.executeUpdate();
                }
            }
        }
    }

    private static Set<String> applied(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM schema_migrations")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /**
     * A file's statements: ClickHouse takes one per request. Comment lines go first (our DDL has no "--"
     * inside strings), then the text is split at each ";".
     */
    static List<String> statements(String file) {
        String withoutComments = file.lines().map(line -> {
            int comment = line.indexOf("--");
            return comment < 0 ? line : line.substring(0, comment);
        }).collect(java.util.stream.Collectors.joining("\n"));
        return java.util.Arrays.stream(withoutComments.split(";")).map(String::strip)
                .filter(sql -> !sql.isEmpty()).toList();
    }

    private static List<String> index() {
        return resource("index.txt").lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static String resource(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
