package dev.megacuration.privacy.pseudonym;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** privacy.pseudonym_key: sealed keys only; the plain key never reaches the database. */
@ApplicationScoped
public class PseudonymKeyRepository {
    /** A tenant's key of one epoch, still sealed. */
    public record SealedKey(String tenant, String epoch, byte[] sealed) {
    }

    private final Pool pool;

    public PseudonymKeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the key unless the epoch already has one, and returns whichever key won. */
    public Uni<SealedKey> putIfAbsent(SealedKey key) {
        return pool.preparedQuery("""
                        INSERT INTO privacy.pseudonym_key (tenant, epoch, sealed_key) VALUES ($1, $2, $3)
                        ON CONFLICT (tenant, epoch) DO NOTHING""")
                .execute(Tuple.of(key.tenant(), key.epoch(), Buffer.buffer(key.sealed())))
                .flatMap(ignored -> find(key.tenant(), key.epoch()));
    }

    public Uni<SealedKey> find(String tenant, String epoch) {
        return pool.preparedQuery("SELECT tenant, epoch, sealed_key FROM privacy.pseudonym_key WHERE tenant = $1 AND epoch = $2")
                .execute(Tuple.of(tenant, epoch))
                .map(rows -> rows.iterator().hasNext() ? toKey(rows.iterator().next()) : null);
    }

    public Uni<List<SealedKey>> allOf(String tenant) {
        return pool.preparedQuery("SELECT tenant, epoch, sealed_key FROM privacy.pseudonym_key WHERE tenant = $1")
                .execute(Tuple.of(tenant))
                .map(rows -> {
                    List<SealedKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(toKey(row)));
                    return keys;
                });
    }

    private static SealedKey toKey(Row row) {
        return new SealedKey(row.getString("tenant"), row.getString("epoch"), row.getBuffer("sealed_key").getBytes());
    }
}
