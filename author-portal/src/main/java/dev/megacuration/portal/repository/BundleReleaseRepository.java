package dev.megacuration.portal.repository;

import dev.megacuration.portal.BundleRelease;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class BundleReleaseRepository implements PanacheRepository<BundleRelease> {

    public Uni<List<BundleRelease>> listOfBundle(long bundleId) {
        return list("bundleId = ?1 order by createdAt desc, id desc", bundleId);
    }
}
