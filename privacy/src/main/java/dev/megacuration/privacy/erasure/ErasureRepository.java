package dev.megacuration.privacy.erasure;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Erasure requests and their audit trail (privacy.erasure_request, privacy.audit_event). The portal files
 * requests for consumers; analytics, which owns ClickHouse, carries them out and completes them.
 */
@ApplicationScoped
public class ErasureRepository {
    private static final String COLUMNS = "id, deployment_id, requested_at, status, completed_at, rows_erased, detail";

    private final Pool pool;

    public ErasureRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Files the request of a deployment's owner, once: the deployment stops being able to send at once, its
     * consent is withdrawn everywhere (appended to the ledger), and the event is audited. Asking again
     * returns the existing request. Null when the deployment is not the caller's.
     */
    public Uni<ErasureRequest> request(UUID deploymentId, String ownerSubject, String contractVersion) {
        return pool.withTransaction(connection -> connection
                .preparedQuery("SELECT erased_at FROM privacy.deployment WHERE id = $1 AND owner_subject = $2 FOR UPDATE")
                .execute(Tuple.of(deploymentId, ownerSubject))
                .flatMap(owned -> {
                    if (!owned.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    if (owned.iterator().next().getOffsetDateTime("erased_at") != null) {
                        return find(connection, deploymentId);
                    }
                    return file(connection, deploymentId, ownerSubject, contractVersion);
                }));
    }

    private Uni<ErasureRequest> file(SqlConnection connection, UUID deploymentId, String owner, String contract) {
        return connection.preparedQuery("UPDATE privacy.deployment SET erased_at = now() WHERE id = $1")
                .execute(Tuple.of(deploymentId))
                .flatMap(ignored -> connection.preparedQuery("""
                                INSERT INTO privacy.consent_event
                                    (deployment_id, tenant, bundle, opted_in, contract_version, actor_subject)
                                SELECT DISTINCT deployment_id, tenant, bundle, false, $2, $3
                                FROM privacy.consent_event WHERE deployment_id = $1""")
                        .execute(Tuple.of(deploymentId, contract, owner)))
                .flatMap(ignored -> connection.preparedQuery("""
                                INSERT INTO privacy.erasure_request (id, deployment_id, requested_by, status)
                                VALUES ($1, $2, $3, 'requested')""")
                        .execute(Tuple.of(UUID.randomUUID(), deploymentId, owner)))
                .flatMap(ignored -> audit(connection, owner, "erasure-requested", deploymentId, null))
                .flatMap(ignored -> find(connection, deploymentId));
    }

    /** The request of a deployment, if its owner is asking; null otherwise or when there is none. */
    public Uni<ErasureRequest> statusFor(UUID deploymentId, String ownerSubject) {
        return pool.preparedQuery("SELECT " + prefixed() + " FROM privacy.erasure_request r "
                        + "JOIN privacy.deployment d ON d.id = r.deployment_id WHERE r.deployment_id = $1 AND d.owner_subject = $2")
                .execute(Tuple.of(deploymentId, ownerSubject))
                .map(rows -> rows.iterator().hasNext() ? toRequest(rows.iterator().next()) : null);
    }

    /** Requests not yet completed (including failed ones, which are retried), oldest first. */
    public Uni<List<ErasureRequest>> open() {
        return pool.query("SELECT " + COLUMNS + " FROM privacy.erasure_request WHERE status <> 'completed' "
                        + "ORDER BY requested_at")
                .execute().map(rows -> {
                    List<ErasureRequest> open = new ArrayList<>();
                    rows.forEach(row -> open.add(toRequest(row)));
                    return open;
                });
    }

    /** Every tenant the deployment ever consented to share with: where its pseudonyms can be. */
    public Uni<List<String>> tenantsOf(UUID deploymentId) {
        return pool.preparedQuery("SELECT DISTINCT tenant FROM privacy.consent_event WHERE deployment_id = $1")
                .execute(Tuple.of(deploymentId)).map(rows -> {
                    List<String> tenants = new ArrayList<>();
                    rows.forEach(row -> tenants.add(row.getString("tenant")));
                    return tenants;
                });
    }

    public Uni<Void> complete(ErasureRequest request, long rowsErased, String actor) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        UPDATE privacy.erasure_request SET status = 'completed', completed_at = now(),
                            rows_erased = $2, detail = NULL WHERE id = $1""")
                .execute(Tuple.of(request.id(), rowsErased))
                .flatMap(ignored -> audit(connection, actor, "erasure-completed", request.deploymentId(),
                        rowsErased + " rows erased"))
                .replaceWithVoid());
    }

    public Uni<Void> fail(ErasureRequest request, String detail, String actor) {
        return pool.withTransaction(connection -> connection.preparedQuery(
                        "UPDATE privacy.erasure_request SET status = 'failed', detail = $2 WHERE id = $1")
                .execute(Tuple.of(request.id(), detail))
                .flatMap(ignored -> audit(connection, actor, "erasure-failed", request.deploymentId(), detail))
                .replaceWithVoid());
    }

    private static Uni<ErasureRequest> find(SqlConnection connection, UUID deploymentId) {
        return connection.preparedQuery("SELECT " + COLUMNS + " FROM privacy.erasure_request WHERE deployment_id = $1")
                .execute(Tuple.of(deploymentId))
                .map(rows -> rows.iterator().hasNext() ? toRequest(rows.iterator().next()) : null);
    }

    private static Uni<Void> audit(SqlConnection connection, String actor, String action, UUID subject,
                                   String detail) {
        return connection.preparedQuery(
                        "INSERT INTO privacy.audit_event (actor, action, subject, detail) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(actor, action, subject.toString(), detail)).replaceWithVoid();
    }

    private static String prefixed() {
        return "r.id, r.deployment_id, r.requested_at, r.status, r.completed_at, r.rows_erased, r.detail";
    }

    private static ErasureRequest toRequest(Row row) {
        return new ErasureRequest(row.getUUID("id"), row.getUUID("deployment_id"),
                row.getOffsetDateTime("requested_at"), row.getString("status"), row.getOffsetDateTime("completed_at"),
                row.getLong("rows_erased"), row.getString("detail"));
    }
}
