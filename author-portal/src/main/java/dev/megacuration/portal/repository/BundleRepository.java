package dev.megacuration.portal.repository;

import dev.megacuration.portal.Bundle;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Bundles, always looked up within one tenant: no query here crosses tenants but {@link #tenants()}, the admin's list. */
@ApplicationScoped
public class BundleRepository implements PanacheRepository<Bundle> {

    /** Every tenant that has published a bundle. */
    public Uni<List<String>> tenants() {
        return getSession().flatMap(session -> session.createSelectionQuery(
                "select distinct b.tenantId from Bundle b order by b.tenantId", String.class).getResultList());
    }

    public Uni<List<Bundle>> listOfTenant(String tenant) {
        return list("tenantId = ?1 order by name", tenant);
    }

    public Uni<Bundle> findInTenant(String tenant, String name) {
        return find("tenantId = ?1 and name = ?2", tenant, name).firstResult();
    }

    /** Creates the tenant and bundle rows if missing; concurrent callers both succeed. */
    public Uni<Bundle> ensure(String tenant, String name) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "INSERT INTO registry.tenant (id) VALUES (?1) ON CONFLICT DO NOTHING")
                        .setParameter(1, tenant).executeUpdate()
                        .flatMap(ignored -> session.createNativeQuery(
                                        "INSERT INTO registry.bundle (tenant_id, name) VALUES (?1, ?2) "
                                                + "ON CONFLICT DO NOTHING")
                                .setParameter(1, tenant).setParameter(2, name).executeUpdate()))
                .flatMap(ignored -> findInTenant(tenant, name));
    }
}
