package dev.megacuration.privacy.consent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a consumer agrees to when opting in under a contract version: what is shared, with whom, for how
 * long, and whether it earns a revenue share. Versions are never changed once published; a new text is a
 * new version, and every consent row names the version it was given under.
 */
public record ConsentContract(String version, List<String> shared, String sharedWith, String retention,
                              boolean revenueShare, List<String> neverShared) {

    private static final Map<String, ConsentContract> PUBLISHED = Map.of("2026-11", new ConsentContract("2026-11",
            List.of("per span: expands, collapses, residency, swap rate, ΔNLL with its horizon, last access step, "
                            + "access count", "stale flags with a reason (outdated, wrong, irrelevant, other)",
                    "the bundle, release version and report window, coarsened to the hour",
                    "a pseudonym of the deployment, different for every author and every quarter"),
            "the bundle's author organisation, only as numbers that at least k deployments contributed to "
                    + "(k ≥ 5 by default, never below 3)",
            "raw rows as long as the author's plan keeps data (30 days free, 365 days pro, 3 years enterprise); "
                    + "the Kafka topic 7 days; everything erased within an hour of an erasure request",
            false,
            List.of("the deployment id", "the ingest credential", "IP address", "user agent", "user identity",
                    "free text", "timestamps finer than the hour")));

    public static Optional<ConsentContract> version(String version) {
        return Optional.ofNullable(PUBLISHED.get(version));
    }
}
