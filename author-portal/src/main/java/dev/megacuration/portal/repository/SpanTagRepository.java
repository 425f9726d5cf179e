package dev.megacuration.portal.repository;

import dev.megacuration.portal.SpanTag;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class SpanTagRepository implements PanacheRepositoryBase<SpanTag, SpanTag.Key> {

    public Uni<List<SpanTag>> ofBundle(long bundleId) {
        return list("bundleId = ?1 order by spanId, tag", bundleId);
    }

    public Uni<SpanTag> findTag(long bundleId, long spanId, String tag) {
        return find("bundleId = ?1 and spanId = ?2 and tag = ?3", bundleId, spanId, tag).firstResult();
    }
}
