package dev.megacuration.privacy.pseudonym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PseudonymizerTest {
    private final UUID deployment = UUID.fromString("7a1c3e1e-1111-4c6e-9a52-0f00c0ffee00");

    @Test
    void stableWithinTenant() {
        Pseudonymizer p = Pseudonymizer.withSecret("0123456789abcdef-secret");
        assertEquals(p.pseudonym("acme", deployment), p.pseudonym("acme", deployment));
        assertEquals(32, p.pseudonym("acme", deployment).length());
    }

    @Test
    void unlinkableAcrossTenantsAndSecrets() {
        Pseudonymizer p = Pseudonymizer.withSecret("0123456789abcdef-secret");
        assertNotEquals(p.pseudonym("acme", deployment), p.pseudonym("globex", deployment));
        assertNotEquals(p.pseudonym("acme", deployment),
                Pseudonymizer.withSecret("another-secret-of-16+").pseudonym("acme", deployment));
        assertTrue(!p.pseudonym("acme", deployment).contains(deployment.toString().substring(0, 8)));
    }

    @Test
    void refusesWeakSecret() {
        assertThrows(IllegalArgumentException.class, () -> Pseudonymizer.withSecret("short"));
    }
}
