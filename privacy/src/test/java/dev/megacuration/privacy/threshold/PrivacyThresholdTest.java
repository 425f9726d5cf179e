package dev.megacuration.privacy.threshold;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivacyThresholdTest {
    @Test
    void publishesFromKDistinctDeployments() {
        PrivacyThreshold k5 = PrivacyThreshold.of(5);
        assertFalse(k5.publishable(4));
        assertTrue(k5.publishable(5));
    }

    @Test
    void refusesAThresholdThatExposesOneDeployment() {
        assertThrows(IllegalArgumentException.class, () -> PrivacyThreshold.of(1));
    }

    @Test
    void keepsKWhereDistinctCountsAreExact() {
        assertThrows(IllegalArgumentException.class, () -> PrivacyThreshold.of(PrivacyThreshold.CEILING + 1));
        PrivacyThreshold k5 = PrivacyThreshold.of(5);
        org.junit.jupiter.api.Assertions.assertEquals(5, k5.forTenant(2), "a tenant never lowers k");
        org.junit.jupiter.api.Assertions.assertEquals(40, k5.forTenant(40));
        org.junit.jupiter.api.Assertions.assertEquals(PrivacyThreshold.CEILING, k5.forTenant(5000));
    }
}
