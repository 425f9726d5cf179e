package dev.megacuration.portal.service;

import dev.megacuration.portal.mapping.SamplePayload;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Builds the sample a consumer is shown before opting in: the ingest edge's output for a typical report,
 * with the pseudonym this deployment would carry in the tenant's data now and hour-coarsened times.
 */
@ApplicationScoped
public class SamplePayloads {
    private static final List<String> NEVER_SENT = List.of("deployment id", "ingest credential", "IP address",
            "user agent", "user identity", "free text", "timestamps finer than the hour");

    private final Pseudonymizer pseudonymizer;

    public SamplePayloads(Pseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    public Uni<SamplePayload> of(UUID deploymentId, String tenant, String bundle) {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        return pseudonymizer.pseudonym(tenant, deploymentId, hour).map(pseudonym -> new SamplePayload(2,
                UUID.randomUUID(), tenant, bundle, "<the release you run>", pseudonym, hour.minus(1, ChronoUnit.HOURS),
                hour, hour,
                List.of(new SamplePayload.Span("72057594037927947", 4, 3, 0.5, 0.2, 0.04, 64, 99L, 12L)),
                List.of(new SamplePayload.Stale("144115188075855875", "outdated")), NEVER_SENT));
    }
}
