package dev.megacuration.portal.repository;

import dev.megacuration.portal.CurationPlan;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class CurationPlanRepository implements PanacheRepositoryBase<CurationPlan, UUID> {

    /** A plan of this bundle; another bundle's (or tenant's) plan id finds nothing. */
    public Uni<CurationPlan> findInBundle(long bundleId, UUID id) {
        return find("id = ?1 and bundleId = ?2", id, bundleId).firstResult();
    }

    /** The plan with its row locked until the transaction ends: uploads of one plan's release take turns. */
    public Uni<CurationPlan> lockInBundle(long bundleId, UUID id) {
        return find("id = ?1 and bundleId = ?2", id, bundleId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<CurationPlan>> listOfBundle(long bundleId) {
        return list("bundleId = ?1 order by proposedAt desc", bundleId);
    }

    /** Applied plans of a bundle from {@code since} on, newest first (what a rollback withdraws). */
    public Uni<List<CurationPlan>> appliedSince(long bundleId, java.time.OffsetDateTime since) {
        return list("bundleId = ?1 and status = ?2 and appliedAt >= ?3 order by appliedAt desc", bundleId,
                CurationPlan.APPLIED, since);
    }
}
