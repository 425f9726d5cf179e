package dev.megacuration.curation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    @Test
    void defaultPolicyLoadsWithItsDocumentedValues() {
        Policy policy = PolicyLoader.defaults();
        assertEquals(90, policy.halfLifeDays());
        assertTrue(policy.neverPrunes(Set.of("protected")));
        assertTrue(policy.softDeleteFirst(Set.of("drafts", "x")));
        assertEquals(0.05, policy.utility().thresholdFor(Set.of("reference")));
        assertEquals(0.05, policy.utility().thresholdFor(Set.of("reference", "other")), "lowest domain wins");
        assertEquals(0.25, policy.utility().thresholdFor(Set.of()));
        assertEquals(Policy.Approval.MANUAL, policy.approval());
    }

    @Test
    void aTypoIsAnErrorWithItsLineNotASilentDefault() {
        PolicyException error = assertThrows(PolicyException.class, () -> read("""
                half_life_days: 30
                window_days: 90
                min_age_days: 7
                utility: {default: 1}
                partition: {min_bytes_saved: 0}
                stale: {action: archive, min_reports: 1}
                paranoia: true
                aproval: auto
                retention_days: 30
                """));
        assertTrue(error.getMessage().contains("unknown key 'aproval' at line 8"), error.getMessage());
    }

    @Test
    void everyBadValueIsReportedAtOnce() {
        PolicyException error = assertThrows(PolicyException.class, () -> read("""
                half_life_days: 0
                window_days: 3
                min_age_days: -1
                utility: {default: -1, domains: {"Bad Tag": 1}, keep_delta_nll: -0.5}
                partition: {min_bytes_saved: 100, max_live_bytes: 10}
                tags: {protected: never_prune}
                stale: {action: archive, min_reports: 0}
                paranoia: false
                approval: manual
                retention_days: 0
                """));
        assertEquals(9, error.problems().size(), error.problems().toString());
        assertTrue(error.getMessage().contains("half_life_days"));
        assertTrue(error.getMessage().contains("utility.keep_delta_nll"));
        assertTrue(error.getMessage().contains("retention_days"));
    }

    @Test
    void anUnknownEnumValueNamesTheChoices() {
        PolicyException error = assertThrows(PolicyException.class, () -> read("""
                half_life_days: 30
                window_days: 90
                min_age_days: 7
                utility: {default: 1}
                partition: {min_bytes_saved: 0}
                tags: {protected: never_delete}
                stale: {action: archive, min_reports: 1}
                paranoia: false
                approval: manual
                retention_days: 30
                """));
        assertTrue(error.getMessage().contains("never_delete") && error.getMessage().contains("line 6"),
                error.getMessage());
    }

    private static Policy read(String yaml) throws Exception {
        return PolicyLoader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
