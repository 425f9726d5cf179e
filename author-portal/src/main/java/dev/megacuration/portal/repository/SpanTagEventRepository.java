package dev.megacuration.portal.repository;

import dev.megacuration.portal.SpanTagEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class SpanTagEventRepository implements PanacheRepository<SpanTagEvent> {

    public Uni<List<SpanTagEvent>> historyOf(long bundleId) {
        return list("bundleId = ?1 order by id", bundleId);
    }
}
