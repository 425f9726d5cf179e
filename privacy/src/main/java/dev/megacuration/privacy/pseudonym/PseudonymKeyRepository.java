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

    /** Every tenant's keys: what a key-encryption-key rotation reseals. */
    public Uni<List<SealedKey>> all() {
        return pool.query("SELECT tenant, epoch, sealed_key FROM privacy.pseudonym_key ORDER BY tenant, epoch")
                .execute()
                .map(rows -> {
                    List<SealedKey> keys = new ArrayList<>();
                    rows.forEach(row -> keys.add(toKey(row)));
                    return keys;
                });
    }

    /**
     * Replaces a key's sealed form if it is still the one read (another replica resealing at the same time
     * wins harmlessly: both sealed the same key). True when this call replaced it.
     */
    public Uni<Boolean> reseal(SealedKey read, byte[] resealed) {
        return pool.preparedQuery("""
                        UPDATE privacy.pseudonym_key SET sealed_key = $4
                        WHERE tenant = $1 AND epoch = $2 AND sealed_key = $3""")
                .execute(Tuple.of(read.tenant(), read.epoch(), Buffer.buffer(read.sealed()), Buffer.buffer(resealed)))
                .map(result -> result.rowCount() == 1);
    }

    private static SealedKey toKey(Row row) {
        return new SealedKey(row.getString("tenant"), row.getString("epoch"), row.getBuffer("sealed_key").getBytes());
    }
}
