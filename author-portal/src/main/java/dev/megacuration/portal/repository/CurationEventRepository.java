package dev.megacuration.portal.repository;

import dev.megacuration.portal.CurationEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** The curation audit log: appended to, read a page at a time, never updated. */
@ApplicationScoped
public class CurationEventRepository implements PanacheRepository<CurationEvent> {

    /** One span's change, for the bulk insert of an applied plan. */
    public record SpanChange(long spanId, String action, String oldState, String newState, String sha256) {
    }

    public Uni<List<CurationEvent>> page(long bundleId, UUID planId, Long spanId, long afterId, int limit) {
        StringBuilder query = new StringBuilder("bundleId = :bundle and id > :after");
        io.quarkus.panache.common.Parameters parameters = io.quarkus.panache.common.Parameters.with("bundle", bundleId)
                .and("after", afterId);
        if (planId != null) {
            query.append(" and planId = :plan");
            parameters.and("plan", planId);
        }
        if (spanId != null) {
            query.append(" and spanId = :span");
            parameters.and("span", spanId);
        }
        return find(query.append(" order by id").toString(), parameters).page(0, limit).list();
    }

    /**
     * Every span event of an applied plan in one statement: a plan may change hundreds of thousands of
     * spans, and one row each through the ORM would hold the transaction open for minutes.
     */
    public Uni<Integer> appendSpanChanges(long bundleId, UUID planId, OffsetDateTime at, String actor, String version,
                                          String oldReleaseSha, List<SpanChange> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String sql = """
                INSERT INTO registry.curation_event
                    (bundle_id, plan_id, at, actor, action, span_id, old_state, new_state, release_version,
                     old_sha256, new_sha256)
                SELECT ?1, CAST(?2 AS uuid), ?3, ?4, c.action, c.span_id, c.old_state, c.new_state, ?5, ?6,
                       NULLIF(c.sha, '')
                FROM unnest(string_to_array(?7, ',')::bigint[], string_to_array(?8, ','),
                            string_to_array(?9, ','), string_to_array(?10, ','), string_to_array(?11, ','))
                     AS c(span_id, action, old_state, new_state, sha)""";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql)
                .setParameter(1, bundleId).setParameter(2, planId.toString()).setParameter(3, at)
                .setParameter(4, actor).setParameter(5, version).setParameter(6, oldReleaseSha)
                .setParameter(7, join(changes, c -> Long.toString(c.spanId())))
                .setParameter(8, join(changes, SpanChange::action))
                .setParameter(9, join(changes, SpanChange::oldState))
                .setParameter(10, join(changes, SpanChange::newState))
                .setParameter(11, join(changes, c -> c.sha256() == null ? "" : c.sha256()))
                .executeUpdate());
    }

    private static String join(List<SpanChange> changes, java.util.function.Function<SpanChange, String> field) {
        return changes.stream().map(field).collect(Collectors.joining(","));
    }
}
