package dev.megacuration.ingest.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The ledger of published reports, per deployment; written after Kafka acknowledged each one. */
@ApplicationScoped
public class AcceptedReportRepository {

    public Uni<Boolean> contains(UUID deploymentId, UUID reportId) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT count(*) FROM ingest.accepted_report WHERE deployment_id = ?1 AND report_id = ?2",
                        Long.class)
                .setParameter(1, deploymentId).setParameter(2, reportId).getSingleResult()))
                .map(count -> count > 0);
    }

    /**
     * Records a published report; a concurrent twin that got there first is fine (its row stands). The
     * commit does not wait for the disk flush: the report is already durable in Kafka, and a ledger row
     * lost in a database crash only lets a later retry through to analytics, whose insert deduplication
     * on the report id still counts it once. Waiting for the flush cost tens of milliseconds per report.
     */
    public Uni<Void> record(UUID deploymentId, UUID reportId) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("SET LOCAL synchronous_commit TO OFF").executeUpdate()
                .flatMap(ignored -> session.createNativeQuery(
                                "INSERT INTO ingest.accepted_report (deployment_id, report_id) VALUES (?1, ?2) "
                                        + "ON CONFLICT DO NOTHING")
                        .setParameter(1, deploymentId).setParameter(2, reportId).executeUpdate())))
                .replaceWithVoid();
    }
}
