package dev.megacuration.format.rebuild;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What to change in a release: entries to take out (into the archive), spans whose archived entries come
 * back, and the clock that decides which deleted runs are past retention and are dropped for good.
 *
 * @param deleteAfter when runs removed now by a delete action may be dropped (now + retention)
 */
public record RebuildRequest(UUID planId, String baseVersion, List<Removal> removals, Set<Long> restoreSpans,
                             Instant now, Instant deleteAfter) {
    public RebuildRequest {
        removals = List.copyOf(removals);
        restoreSpans = Set.copyOf(restoreSpans);
    }
}
