package dev.megacuration.privacy.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeploymentClientsTest {
    @Test
    void onlyTheCanonicalClientNameOfADeploymentNamesIt() {
        UUID id = UUID.randomUUID();
        assertEquals(id, DeploymentClients.deploymentOf("deployment-" + id));
        assertNull(DeploymentClients.deploymentOf("megacuration-service"));
        assertNull(DeploymentClients.deploymentOf("deployment-1-2-3-4-5"), "a short form is not the canonical id");
        assertNull(DeploymentClients.deploymentOf("deployment-" + id.toString().toUpperCase()));
        assertNull(DeploymentClients.deploymentOf(null));
    }
}
