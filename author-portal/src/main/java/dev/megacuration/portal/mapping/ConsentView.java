package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.consent.ConsentEvent;
import java.time.OffsetDateTime;
import java.util.UUID;

public record ConsentView(UUID deploymentId, String tenant, String bundle, boolean optedIn, String contractVersion,
                          OffsetDateTime recordedAt) {

    public static ConsentView of(ConsentEvent event) {
        return new ConsentView(event.deploymentId, event.tenant, event.bundle, event.optedIn, event.contractVersion,
                event.recordedAt);
    }
}
