package dev.megacuration.portal.service;

import dev.megacuration.portal.BundleRelease;
import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.ReleaseRequest;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.repository.BundleReleaseRepository;
import dev.megacuration.portal.repository.BundleRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The bundle registry of one tenant at a time: every method takes the caller's tenant. */
@ApplicationScoped
public class RegistryService {
    private final BundleRepository bundles;
    private final BundleReleaseRepository releases;

    public RegistryService(BundleRepository bundles, BundleReleaseRepository releases) {
        this.bundles = bundles;
        this.releases = releases;
    }

    @WithSession
    public Uni<List<BundleView>> bundlesOf(String tenant) {
        return bundles.listOfTenant(tenant).flatMap(list -> list.isEmpty()
                ? Uni.createFrom().item(List.<BundleView>of())
                : Multi.createFrom().iterable(list)
                        .onItem().transformToUniAndConcatenate(bundle -> releases.listOfBundle(bundle.id)
                                .map(rs -> new BundleView(tenant, bundle.name, rs.stream().map(ReleaseView::of).toList())))
                        .collect().asList());
    }

    /** The bundle of this tenant, or null: another tenant's bundle of the same name is invisible. */
    @WithSession
    public Uni<BundleView> bundle(String tenant, String name) {
        return bundles.findInTenant(tenant, name).flatMap(bundle -> bundle == null
                ? Uni.createFrom().nullItem()
                : releases.listOfBundle(bundle.id)
                        .map(rs -> new BundleView(tenant, bundle.name, rs.stream().map(ReleaseView::of).toList())));
    }

    /** Registers an immutable release; a second registration of the same version fails with a conflict. */
    @WithTransaction
    public Uni<ReleaseView> register(String tenant, String bundleName, ReleaseRequest request, String actor) {
        return bundles.ensure(tenant, bundleName).flatMap(bundle -> {
            BundleRelease release = new BundleRelease();
            release.bundleId = bundle.id;
            release.version = request.version();
            release.modelName = request.modelName();
            release.embeddingDim = request.embeddingDim();
            release.numTokens = request.numTokens();
            release.lod0Sha256 = request.lod0Sha256();
            release.lod1Sha256 = request.lod1Sha256();
            release.lod2Sha256 = request.lod2Sha256();
            release.provenance = "imported";
            release.registeredBy = actor;
            release.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            // Flush now so a duplicate version fails here, inside this call, as a conflict.
            return releases.persistAndFlush(release);
        }).map(ReleaseView::of);
    }
}
