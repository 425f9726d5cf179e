package dev.megacuration.ingest.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The ledger of published reports, per deployment; written after Kafka acknowledged each one. Two
 * statements on the hot path of every report, so they go straight to the reactive client: through
 * Hibernate Reactive sessions each took about 15 ms under load (see deploy/bench/ingest-results.md).
 */
@ApplicationScoped
public class AcceptedReportRepository {
    /** One ledger row: a report id a deployment had published. */
    public record Accepted(UUID deploymentId, UUID reportId) {
    }

    private final Pool pool;

    public AcceptedReportRepository(Pool pool) {
        this.pool = pool;
    }

    /** Which of these (deployment, report) pairs the ledger holds, in one statement (primary-key lookups). */
    public Uni<java.util.Set<Accepted>> containing(java.util.List<Accepted> entries) {
        UUID[] deployments = entries.stream().map(Accepted::deploymentId).toArray(UUID[]::new);
        UUID[] reports = entries.stream().map(Accepted::reportId).toArray(UUID[]::new);
        return pool.preparedQuery("SELECT deployment_id, report_id FROM ingest.accepted_report "
                        + "WHERE (deployment_id, report_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))")
                .execute(Tuple.of(deployments, reports))
                .map(rows -> {
                    java.util.Set<Accepted> found = new java.util.HashSet<>();
                    rows.forEach(row -> found.add(new Accepted(row.getUUID(0), row.getUUID(1))));
                    return found;
                });
    }

    /**
     * Up to {@code limit} ledger rows after the given pair, in primary-key order: the ledger's filter is
     * filled page by page ({@code AcceptedReportLedger}), each page one walk of the key's index.
     */
    public Uni<java.util.List<Accepted>> pageAfter(Accepted after, int limit) {
        return pool.preparedQuery("SELECT deployment_id, report_id FROM ingest.accepted_report "
                        + "WHERE (deployment_id, report_id) > ($1, $2) ORDER BY deployment_id, report_id LIMIT $3")
                .execute(Tuple.of(after.deploymentId(), after.reportId(), limit))
                .map(rows -> {
                    java.util.List<Accepted> page = new java.util.ArrayList<>(rows.size());
                    rows.forEach(row -> page.add(new Accepted(row.getUUID(0), row.getUUID(1))));
                    return page;
                });
    }

    /**
     * Records published reports in one statement (see {@code AcceptedReportLedger}); rows already there
     * stand. The commit does not wait for the disk flush: the reports are already durable in Kafka, and a
     * ledger row lost in a database crash only lets a later retry through to analytics, which still counts
     * the report id once.
     */
    public Uni<Void> recordAll(java.util.List<Accepted> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] deployments = entries.stream().map(e -> e.deploymentId()).toArray(UUID[]::new);
        UUID[] reports = entries.stream().map(e -> e.reportId()).toArray(UUID[]::new);
        return pool.withTransaction((SqlConnection connection) -> connection
                .query("SET LOCAL synchronous_commit TO OFF").execute()
                .flatMap(ignored -> connection.preparedQuery("INSERT INTO ingest.accepted_report (deployment_id, "
                                + "report_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING")
                        .execute(Tuple.of(deployments, reports))))
                .replaceWithVoid();
    }
}
