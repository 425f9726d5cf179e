package dev.megacuration.privacy.plan;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' plans as every query needs them: read from PostgreSQL and kept for a few seconds, so a plan
 * change (an upgrade, a raised k) takes effect everywhere within {@link #FRESHNESS}.
 */
@ApplicationScoped
public class TenantPlans {
    static final Duration FRESHNESS = Duration.ofSeconds(5);

    private record Cached(TenantPlan plan, long loadedAtNanos) {
    }

    private final TenantPlanRepository repository;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TenantPlans(TenantPlanRepository repository) {
        this.repository = repository;
    }

    public Uni<TenantPlan> of(String tenant) {
        Cached cached = cache.get(tenant);
        if (cached != null && System.nanoTime() - cached.loadedAtNanos < FRESHNESS.toNanos()) {
            return Uni.createFrom().item(cached.plan);
        }
        return repository.find(tenant).invoke(plan -> cache.put(tenant, new Cached(plan, System.nanoTime())));
    }

    /** Every tenant with a plan of its own, read from the database (not cached: an admin's list). */
    public Uni<java.util.List<TenantPlan>> all() {
        return repository.all();
    }

    public Uni<TenantPlan> change(TenantPlan plan, String actor) {
        return repository.save(plan, actor).invoke(saved -> cache.remove(saved.tenant()));
    }
}
