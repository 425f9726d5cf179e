package dev.megacuration.privacy.consent;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ConsentEventRepository implements PanacheRepository<ConsentEvent> {

    /** Consent for every bundle of one author (tenant), present and future. */
    public static final String ALL_BUNDLES = "*";

    /**
     * The newest ledger row for the bundle decides; without one, the newest author-wide row; without either,
     * the default, which is out. A decision about one bundle thus stays an exception to the author-wide one.
     */
    public Uni<Boolean> isOptedIn(UUID deploymentId, String tenant, String bundle) {
        return find("deploymentId = ?1 and tenant = ?2 and bundle in (?3, ?4) "
                        + "order by case when bundle = ?4 then 1 else 0 end, id desc",
                deploymentId, tenant, bundle, ALL_BUNDLES)
                .firstResult()
                .map(event -> event != null && event.optedIn);
    }

    /** Whether this consumer registered any deployment with the bundle (consent given or withdrawn). */
    public Uni<Boolean> hasDeploymentFor(String ownerSubject, String tenant, String bundle) {
        return count("from ConsentEvent e where e.tenant = ?1 and e.bundle in (?2, ?4) and e.deploymentId in "
                + "(select d.id from Deployment d where d.ownerSubject = ?3)", tenant, bundle, ownerSubject, ALL_BUNDLES)
                .map(n -> n > 0);
    }

    /** The decision in force for each (deployment, author, bundle) of these deployments: the newest row of each. */
    public Uni<java.util.List<ConsentEvent>> currentOf(java.util.Collection<UUID> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return Uni.createFrom().item(java.util.List.of());
        }
        return list("from ConsentEvent e where e.deploymentId in ?1 and e.id = (select max(x.id) from ConsentEvent x "
                + "where x.deploymentId = e.deploymentId and x.tenant = e.tenant and x.bundle = e.bundle) "
                + "order by e.tenant, e.bundle", deploymentIds);
    }
}
