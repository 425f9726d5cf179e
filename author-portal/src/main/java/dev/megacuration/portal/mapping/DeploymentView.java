package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.consent.Deployment;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A deployment as its owner sees it; {@code ingestKey} is set only in the answer to its registration. */
public record DeploymentView(UUID id, String name, OffsetDateTime createdAt, OffsetDateTime erasedAt, String ingestKey) {

    public static DeploymentView of(Deployment deployment, String ingestKey) {
        return new DeploymentView(deployment.id, deployment.name, deployment.createdAt, deployment.erasedAt, ingestKey);
    }
}
