package dev.megacuration.privacy.erasure;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A consumer's request to erase everything one deployment contributed, and how far it got. */
public record ErasureRequest(UUID id, UUID deploymentId, OffsetDateTime requestedAt, String status,
                             OffsetDateTime completedAt, Long rowsErased, String detail) {

    public static final String REQUESTED = "requested";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
