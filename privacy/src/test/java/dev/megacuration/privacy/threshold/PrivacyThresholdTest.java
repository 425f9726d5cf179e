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
}
