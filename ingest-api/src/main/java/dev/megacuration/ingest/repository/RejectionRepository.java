package dev.megacuration.ingest.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Each deployment's recent refusals, so its owner can see why reports were not counted. */
@ApplicationScoped
public class RejectionRepository {

    /** One refusal as its deployment's owner sees it. */
    public record Warning(UUID reportId, int status, String reason, OffsetDateTime at) {
    }

    public Uni<Void> record(UUID deploymentId, UUID reportId, int status, String reason) {
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO ingest.rejection (deployment_id, report_id, status, reason) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, deploymentId).setParameter(2, reportId).setParameter(3, status)
                .setParameter(4, reason).executeUpdate())).replaceWithVoid();
    }

    public Uni<List<Warning>> recent(UUID deploymentId, int limit) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT report_id, status, reason, at FROM ingest.rejection WHERE deployment_id = ?1 "
                                + "ORDER BY id DESC LIMIT ?2", Object[].class)
                .setParameter(1, deploymentId).setParameter(2, limit).getResultList()))
                .map(rows -> rows.stream().map(r -> new Warning((UUID) r[0], ((Number) r[1]).intValue(),
                        (String) r[2], toOffset(r[3]))).toList());
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset;
        }
        return ((java.time.Instant) value).atOffset(java.time.ZoneOffset.UTC);
    }
}
