package dev.megacuration.ingest.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Deletes ledger rows past their retention, in bounded chunks so that no sweep holds long locks. */
@ApplicationScoped
public class LedgerRetention {
    private static final int CHUNK = 10_000;

    private final Pool pool;

    public LedgerRetention(Pool pool) {
        this.pool = pool;
    }

    /** Accepted report ids and refusals older than {@code retention}; returns how many rows went. */
    public Uni<Long> sweep(Duration retention) {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(retention);
        return chunks("DELETE FROM ingest.accepted_report WHERE ctid IN (SELECT ctid FROM ingest.accepted_report "
                + "WHERE accepted_at < $1 LIMIT " + CHUNK + ")", before, 0)
                .flatMap(accepted -> chunks("DELETE FROM ingest.rejection WHERE id IN (SELECT id FROM ingest.rejection "
                        + "WHERE at < $1 LIMIT " + CHUNK + ")", before, accepted));
    }

    private Uni<Long> chunks(String delete, OffsetDateTime before, long sofar) {
        return pool.preparedQuery(delete).execute(Tuple.of(before)).flatMap(rows -> rows.rowCount() == CHUNK
                ? chunks(delete, before, sofar + CHUNK) : Uni.createFrom().item(sofar + rows.rowCount()));
    }
}
