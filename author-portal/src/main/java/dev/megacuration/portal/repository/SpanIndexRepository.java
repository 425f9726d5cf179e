package dev.megacuration.portal.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The span index of releases: written once per release, server-side, read a page at a time. */
@ApplicationScoped
public class SpanIndexRepository {

    /** One row of the index. */
    public record Row(long spanId, int level, long index, long tokenStart, long tokenEnd, long lod0Bytes,
                      long lod1Bytes, long lod2Bytes, String state) {
    }

    /**
     * Writes every LOD1 and LOD2 span of a dense release in one statement: PostgreSQL generates the rows,
     * so a release of millions of tokens costs one round trip, not one per span.
     */
    public Uni<Integer> writeDense(long releaseId, long lod1Spans, long lod2Spans, int gistBytes) {
        String sql = """
                INSERT INTO registry.release_span
                    (release_id, span_id, level, idx, token_start, token_end, lod0_bytes, lod1_bytes, lod2_bytes)
                SELECT CAST(?1 AS bigint), (1::bigint << 56) | i, 1, i, i * 32, i * 32 + 32, 32 * 4,
                       CAST(?2 AS bigint), 0
                FROM generate_series(0::bigint, CAST(?3 AS bigint) - 1) AS i
                UNION ALL
                SELECT CAST(?1 AS bigint), (2::bigint << 56) | j, 2, j, j * 1024, j * 1024 + 1024, 1024 * 4,
                       32 * CAST(?2 AS bigint), CAST(?2 AS bigint)
                FROM generate_series(0::bigint, CAST(?4 AS bigint) - 1) AS j""";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql)
                .setParameter(1, releaseId).setParameter(2, (long) gistBytes)
                .setParameter(3, lod1Spans).setParameter(4, lod2Spans)
                .executeUpdate());
    }

    /**
     * Marks the spans a compacted release no longer holds in full (ids comma-separated: one statement
     * whatever their number, joined rather than matched with {@code = ANY}, which would compare every row
     * with every id).
     */
    public Uni<Integer> markStates(long releaseId, List<Long> compacted, List<Long> archived) {
        if (compacted.isEmpty() && archived.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String sql = """
                UPDATE registry.release_span AS s SET state = c.state
                FROM (SELECT unnest(string_to_array(?2, ',')::bigint[]) AS span_id, 'archived' AS state
                      UNION ALL
                      SELECT unnest(string_to_array(?3, ',')::bigint[]), 'compacted') AS c
                WHERE s.release_id = ?1 AND s.span_id = c.span_id""";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql)
                .setParameter(1, releaseId).setParameter(2, csv(archived)).setParameter(3, csv(compacted))
                .executeUpdate());
    }

    /** The state of given spans in a release ('present', 'compacted', 'archived'), by span id. */
    public Uni<Map<Long, String>> states(long releaseId, List<Long> spanIds) {
        if (spanIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String sql = """
                SELECT s.span_id, s.state
                FROM registry.release_span AS s
                JOIN unnest(string_to_array(?2, ',')::bigint[]) AS wanted(span_id) ON wanted.span_id = s.span_id
                WHERE s.release_id = ?1""";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql, Object[].class)
                        .setParameter(1, releaseId).setParameter(2, csv(spanIds)).getResultList())
                .map(rows -> {
                    Map<Long, String> states = new HashMap<>();
                    for (Object[] r : rows) {
                        states.put(number(r[0]), (String) r[1]);
                    }
                    return states;
                });
    }

    private static String csv(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    public Uni<List<Row>> page(long releaseId, int level, long offset, int limit) {
        String sql = """
                SELECT span_id, level, idx, token_start, token_end, lod0_bytes, lod1_bytes, lod2_bytes, state
                FROM registry.release_span
                WHERE release_id = ?1 AND level = ?2
                ORDER BY idx OFFSET ?3 LIMIT ?4""";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql, Object[].class)
                        .setParameter(1, releaseId).setParameter(2, (short) level)
                        .setParameter(3, offset).setParameter(4, limit)
                        .getResultList())
                .map(rows -> rows.stream().map(SpanIndexRepository::row).toList());
    }

    private static Row row(Object[] r) {
        return new Row(number(r[0]), (int) number(r[1]), number(r[2]), number(r[3]), number(r[4]), number(r[5]),
                number(r[6]), number(r[7]), (String) r[8]);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
