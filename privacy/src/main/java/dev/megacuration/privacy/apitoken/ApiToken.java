package dev.megacuration.privacy.apitoken;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A tenant's API token as listed: never its secret, which exists only in the answer that created it. */
public record ApiToken(UUID id, String tenant, String name, String createdBy, OffsetDateTime createdAt,
                       OffsetDateTime revokedAt) {
}
