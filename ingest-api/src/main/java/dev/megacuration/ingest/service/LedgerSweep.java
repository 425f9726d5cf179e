package dev.megacuration.ingest.service;

import dev.megacuration.ingest.config.IngestConfig;
import dev.megacuration.ingest.repository.LedgerRetention;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Keeps the edge's ledger bounded. A report id past {@code ledger-retention} is no longer answered
 * "duplicate" by the edge, but it still never counts twice: analytics keeps every stored report id for
 * as long as the report's rows live and refuses it again.
 */
@ApplicationScoped
public class LedgerSweep {
    private static final Logger LOG = Logger.getLogger(LedgerSweep.class);

    private final LedgerRetention retention;
    private final AcceptedReportLedger ledger;
    private final IngestConfig config;

    public LedgerSweep(LedgerRetention retention, AcceptedReportLedger ledger, IngestConfig config) {
        this.retention = retention;
        this.ledger = ledger;
        this.config = config;
    }

    @Scheduled(every = "${megacuration.ingest.ledger-sweep}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return retention.sweep(config.ledgerRetention())
                .invoke(rows -> LOG.debugf("Ledger sweep removed %d rows", rows))
                .invoke(ledger::swept)
                .onFailure().invoke(e -> LOG.warn("Ledger sweep failed; it runs again at the next interval", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
