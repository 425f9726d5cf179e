package dev.megacuration.portal.service;

import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.repository.BundleReleaseRepository;
import dev.megacuration.portal.repository.BundleRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
}
