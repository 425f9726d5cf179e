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

    public Uni<BundleRelease> findVersion(long bundleId, String version) {
        return find("bundleId = ?1 and version = ?2", bundleId, version).firstResult();
    }

    /** The current release: the newest that has files (and so a span index) and was not withdrawn. */
    public Uni<BundleRelease> latestWithFiles(long bundleId) {
        return find("bundleId = ?1 and numLod1 is not null and withdrawnAt is null order by createdAt desc, id desc",
                bundleId).firstResult();
    }
}
