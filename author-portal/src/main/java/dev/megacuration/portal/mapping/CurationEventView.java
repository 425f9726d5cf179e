package dev.megacuration.portal.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.megacuration.portal.CurationEvent;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One audit log line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurationEventView(long id, UUID planId, OffsetDateTime at, String actor, String action, Long spanId,
                                String oldState, String newState, String releaseVersion, String oldSha256,
                                String newSha256, String detail) {

    public static CurationEventView of(CurationEvent e) {
        return new CurationEventView(e.id, e.planId, e.at, e.actor, e.action, e.spanId, e.oldState, e.newState,
                e.releaseVersion, e.oldSha256, e.newSha256, e.detail);
    }
}
