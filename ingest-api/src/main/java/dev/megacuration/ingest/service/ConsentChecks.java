package dev.megacuration.ingest.service;

import dev.megacuration.privacy.consent.ConsentService;
import dev.megacuration.privacy.consent.Deployment;
import dev.megacuration.privacy.consent.IngestKeys;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.cache.CompositeCacheKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The edge's credential and consent checks, each answer kept for a moment (the "credentials" and "consent"
 * caches, 2 s): a busy deployment costs the database two queries every 2 s instead of two per report,
 * and an opt-out, a revoked credential or an erasure still takes effect within the promised 5 s.
 */
@ApplicationScoped
public class ConsentChecks {
    private final ConsentService consent;
    private final Cache consentAnswers;
    private final Cache credentialAnswers;

    public ConsentChecks(ConsentService consent, @CacheName("consent") Cache consentAnswers,
                         @CacheName("credentials") Cache credentialAnswers) {
        this.consent = consent;
        this.consentAnswers = consentAnswers;
        this.credentialAnswers = credentialAnswers;
    }

    /** The kept deployment holding this ingest key, read without a {@code Uni}; null when it must be asked. */
    public Deployment deploymentIfKept(String ingestKey) {
        return ingestKey == null || ingestKey.isBlank() ? null
                : (Deployment) Kept.valueOf(credentialAnswers, IngestKeys.hash(ingestKey));
    }

    /**
     * The kept answer of {@link #isOptedIn}, if there is one, read without a {@code Uni}: the edge's fast path
     * (every stage of a reactive pipeline costs a context capture). Null when it must be asked.
     */
    public Boolean optedInIfKept(UUID deploymentId, String tenant, String bundle) {
        return (Boolean) Kept.valueOf(consentAnswers, new CompositeCacheKey(deploymentId, tenant, bundle));
    }

    /** The deployment holding this ingest key, or null; cached by the key's hash, never the key itself. */
    public Uni<Deployment> deploymentOf(String ingestKey) {
        if (ingestKey == null || ingestKey.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return deploymentByHash(IngestKeys.hash(ingestKey));
    }

    @CacheResult(cacheName = "credentials")
    public Uni<Deployment> deploymentByHash(String keyHash) {
        return consent.authenticateHash(keyHash);
    }

    /** The deployment an OAuth2 client acts for (see {@code DeploymentClients}), or null. */
    @CacheResult(cacheName = "client-credentials")
    public Uni<Deployment> deploymentOfClient(String clientId) {
        return consent.authenticateClient(clientId);
    }

    @CacheResult(cacheName = "consent")
    public Uni<Boolean> isOptedIn(UUID deploymentId, String tenant, String bundle) {
        return consent.isOptedIn(deploymentId, tenant, bundle);
    }
}
