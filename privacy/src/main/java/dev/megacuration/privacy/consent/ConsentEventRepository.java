package dev.megacuration.privacy.consent;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ConsentEventRepository implements PanacheRepository<ConsentEvent> {

    /** The newest ledger row decides; no row means the default, which is out. */
    public Uni<Boolean> isOptedIn(UUID deploymentId, String tenant, String bundle) {
        return find("deploymentId = ?1 and tenant = ?2 and bundle = ?3 order by id desc", deploymentId, tenant, bundle)
                .firstResult()
                .map(event -> event != null && event.optedIn);
    }

    /** Whether this consumer registered any deployment with the bundle (consent given or withdrawn). */
    public Uni<Boolean> hasDeploymentFor(String ownerSubject, String tenant, String bundle) {
        return count("from ConsentEvent e where e.tenant = ?1 and e.bundle = ?2 and e.deploymentId in "
                + "(select d.id from Deployment d where d.ownerSubject = ?3)", tenant, bundle, ownerSubject)
                .map(n -> n > 0);
    }
}
