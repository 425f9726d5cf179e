package dev.megacuration.privacy.consent;

import dev.megacuration.privacy.config.PrivacyConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Deployments and their consent: registration, opt in/out, and the checks the ingest edge makes. */
@ApplicationScoped
public class ConsentService {
    private final DeploymentRepository deployments;
    private final ConsentEventRepository ledger;
    private final PrivacyConfig config;

    public ConsentService(DeploymentRepository deployments, ConsentEventRepository ledger, PrivacyConfig config) {
        this.deployments = deployments;
        this.ledger = ledger;
        this.config = config;
    }

    /** A newly registered deployment and the ingest key that is shown to its owner exactly once. */
    public record Registration(Deployment deployment, String ingestKey) {
    }

    @WithTransaction
    public Uni<Registration> register(String ownerSubject, String name) {
        String key = IngestKeys.newKey();
        Deployment deployment = new Deployment();
        deployment.id = UUID.randomUUID();
        deployment.ownerSubject = ownerSubject;
        deployment.name = name;
        deployment.ingestKeyHash = IngestKeys.hash(key);
        deployment.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        return deployments.persist(deployment).map(saved -> new Registration(saved, key));
    }

    @WithSession
    public Uni<List<Deployment>> deploymentsOf(String ownerSubject) {
        return deployments.listOwnedBy(ownerSubject);
    }

    /** One of the owner's deployments that was not erased, or null (another's id looks like none). */
    @WithSession
    public Uni<Deployment> liveDeploymentOf(String ownerSubject, UUID deploymentId) {
        return deployments.listOwnedBy(ownerSubject).map(mine -> mine.stream()
                .filter(d -> d.id.equals(deploymentId) && d.erasedAt == null).findFirst().orElse(null));
    }

    /** The consent decisions in force for these deployments (the caller's own, already read), by deployment. */
    @WithSession
    public Uni<java.util.Map<UUID, List<ConsentEvent>>> consentsOf(List<Deployment> owned) {
        return ledger.currentOf(owned.stream().map(d -> d.id).toList())
                .map(events -> events.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.deploymentId,
                        java.util.LinkedHashMap::new, java.util.stream.Collectors.toList())));
    }

    /** Appends a consent change; null when the deployment is not the actor's own, or was erased. */
    @WithTransaction
    public Uni<ConsentEvent> setConsent(String actorSubject, UUID deploymentId, String tenant, String bundle,
                                        boolean optedIn) {
        return deployments.findById(deploymentId).flatMap(deployment -> {
            if (deployment == null || !deployment.ownerSubject.equals(actorSubject) || deployment.erasedAt != null) {
                return Uni.createFrom().nullItem();
            }
            ConsentEvent event = new ConsentEvent();
            event.deploymentId = deploymentId;
            event.tenant = tenant;
            event.bundle = bundle;
            event.optedIn = optedIn;
            event.contractVersion = config.contractVersion();
            event.actorSubject = actorSubject;
            event.recordedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return ledger.persist(event);
        });
    }

    /** The deployment holding this ingest key, or null for an unknown key. */
    @WithSession
    public Uni<Deployment> authenticate(String ingestKey) {
        if (ingestKey == null || ingestKey.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return deployments.findByIngestKeyHash(IngestKeys.hash(ingestKey));
    }

    /** The deployment whose ingest key has this SHA-256 (see {@link IngestKeys#hash}), or null. */
    @WithSession
    public Uni<Deployment> authenticateHash(String ingestKeyHash) {
        return deployments.findByIngestKeyHash(ingestKeyHash);
    }

    /**
     * The deployment an OAuth2 client acts for: a confidential client named {@code deployment-<id>} in the
     * realm (created by an operator or provisioning; only realm administrators can name clients) sends
     * client-credentials tokens as deployment {@code id}. Null for any other client or an erased deployment.
     */
    @WithSession
    public Uni<Deployment> authenticateClient(String clientId) {
        UUID id = DeploymentClients.deploymentOf(clientId);
        return id == null ? Uni.createFrom().nullItem()
                : deployments.find("id = ?1 and erasedAt is null", id).firstResult();
    }

    @WithSession
    public Uni<Boolean> isOptedIn(UUID deploymentId, String tenant, String bundle) {
        return ledger.isOptedIn(deploymentId, tenant, bundle);
    }

    /** Consumers may download a bundle once one of their deployments is registered with it. */
    @WithSession
    public Uni<Boolean> hasDeploymentFor(String ownerSubject, String tenant, String bundle) {
        return ledger.hasDeploymentFor(ownerSubject, tenant, bundle);
    }
}
