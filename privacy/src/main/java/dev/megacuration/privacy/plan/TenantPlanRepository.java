package dev.megacuration.privacy.plan;

import dev.megacuration.privacy.tier.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** privacy.tenant_plan through the reactive client, so services without Hibernate (analytics) can read it. */
@ApplicationScoped
public class TenantPlanRepository {
    private final Pool pool;

    public TenantPlanRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<TenantPlan> find(String tenant) {
        return pool.preparedQuery("SELECT tenant, tier, min_deployments FROM privacy.tenant_plan WHERE tenant = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().hasNext() ? toPlan(rows.iterator().next()) : TenantPlan.defaultFor(tenant));
    }

    /** Every tenant with a plan of its own (tenants without a row are on the default plan). */
    public Uni<java.util.List<TenantPlan>> all() {
        return pool.query("SELECT tenant, tier, min_deployments FROM privacy.tenant_plan ORDER BY tenant").execute()
                .map(rows -> {
                    java.util.List<TenantPlan> plans = new java.util.ArrayList<>();
                    rows.forEach(row -> plans.add(toPlan(row)));
                    return plans;
                });
    }

    /** Sets the plan and records who changed it, in one transaction. */
    public Uni<TenantPlan> save(TenantPlan plan, String actor) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                        INSERT INTO privacy.tenant_plan (tenant, tier, min_deployments, updated_by)
                        VALUES ($1, $2, $3, $4)
                        ON CONFLICT (tenant) DO UPDATE SET tier = EXCLUDED.tier,
                            min_deployments = EXCLUDED.min_deployments, updated_at = now(),
                            updated_by = EXCLUDED.updated_by""")
                .execute(Tuple.of(plan.tenant(), plan.tier().id(), plan.minDeployments(), actor))
                .flatMap(ignored -> connection.preparedQuery("""
                                INSERT INTO privacy.audit_event (actor, action, subject, detail)
                                VALUES ($1, 'plan-changed', $2, $3)""")
                        .execute(Tuple.of(actor, plan.tenant(), "tier=" + plan.tier().id() + " k="
                                + (plan.minDeployments() == null ? "platform" : plan.minDeployments()))))
                .replaceWith(plan));
    }

    private static TenantPlan toPlan(Row row) {
        return new TenantPlan(row.getString("tenant"), Tier.fromId(row.getString("tier")),
                row.getInteger("min_deployments"));
    }
}
