package dev.megacuration.privacy.consent;

import java.util.UUID;

/** The naming rule that ties an OAuth2 client of the realm to a deployment: {@code deployment-<id>}. */
public final class DeploymentClients {
    public static final String PREFIX = "deployment-";

    private DeploymentClients() {
    }

    /** The client id a deployment's OAuth2 client must have. */
    public static String clientIdOf(UUID deployment) {
        return PREFIX + deployment;
    }

    /** The deployment a client id names, or null when it names none. */
    public static UUID deploymentOf(String clientId) {
        if (clientId == null || !clientId.startsWith(PREFIX)) {
            return null;
        }
        try {
            UUID id = UUID.fromString(clientId.substring(PREFIX.length()));
            // UUID.fromString accepts short forms; only the canonical spelling names a deployment.
            return clientIdOf(id).equals(clientId) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
