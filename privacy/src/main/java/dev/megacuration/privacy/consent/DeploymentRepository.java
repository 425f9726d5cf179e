package dev.megacuration.privacy.consent;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, UUID> {

    public Uni<Deployment> findByIngestKeyHash(String hash) {
        return find("ingestKeyHash = ?1 and erasedAt is null", hash).firstResult();
    }

    public Uni<List<Deployment>> listOwnedBy(String ownerSubject) {
        return list("ownerSubject = ?1 order by createdAt", ownerSubject);
    }
}
