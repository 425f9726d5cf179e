package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.erasure.ErasureRequest;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An erasure request as its consumer follows it: requested, then completed (or failed and retried). */
public record ErasureView(UUID deploymentId, String status, OffsetDateTime requestedAt, OffsetDateTime completedAt,
                          Long rowsErased) {

    public static ErasureView of(ErasureRequest request) {
        return new ErasureView(request.deploymentId(), request.status(), request.requestedAt(), request.completedAt(),
                request.rowsErased());
    }
}
