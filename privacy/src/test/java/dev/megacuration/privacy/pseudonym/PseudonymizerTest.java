package dev.megacuration.privacy.pseudonym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Key handling and unlinkability, with the key table held in a map (the PostgreSQL path runs in the
 * ingest and analytics tests on the real server).
 */
class PseudonymizerTest {
    private static final String KEK = "0123456789abcdef-kek";
    private static final Instant NOV = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant JAN = Instant.parse("2027-01-02T10:00:00Z");

    private final UUID deployment = UUID.fromString("7a1c3e1e-1111-4c6e-9a52-0f00c0ffee00");
    private final InMemoryKeys table = new InMemoryKeys();

    @Test
    void stableWithinATenantAndEpoch() {
        Pseudonymizer p = new Pseudonymizer(table, KEK);
        String first = p.pseudonym("acme", deployment, NOV).await().indefinitely();
        assertEquals(first, p.pseudonym("acme", deployment, NOV.plusSeconds(86_400)).await().indefinitely());
        assertEquals(first, new Pseudonymizer(table, KEK).pseudonym("acme", deployment, NOV).await().indefinitely(),
                "another instance opens the same stored key");
        assertEquals(32, first.length());
    }

    @Test
    void unlinkableAcrossTenantsAndEpochs() {
        Pseudonymizer p = new Pseudonymizer(table, KEK);
        String acme = p.pseudonym("acme", deployment, NOV).await().indefinitely();
        assertNotEquals(acme, p.pseudonym("globex", deployment, NOV).await().indefinitely());
        assertNotEquals(acme, p.pseudonym("acme", deployment, JAN).await().indefinitely(), "keys rotate quarterly");
        assertEquals(2, p.allPseudonyms("acme", deployment).await().indefinitely().size());
        assertFalse(acme.contains(deployment.toString().substring(0, 8)));
    }

    @Test
    void keysAreStoredSealedAndOpenOnlyWithTheirKekTenantAndEpoch() {
        new Pseudonymizer(table, KEK).pseudonym("acme", deployment, NOV).await().indefinitely();
        byte[] sealed = table.keys.get("acme/2026-Q4").sealed();
        assertEquals(12 + 32 + 16, sealed.length, "nonce, 256-bit key, GCM tag");
        assertThrows(IllegalStateException.class, () -> new Pseudonymizer(table, "another-kek-of-16+")
                .pseudonym("acme", deployment, NOV).await().indefinitely());
        table.keys.put("globex/2026-Q4", new PseudonymKeyRepository.SealedKey("globex", "2026-Q4", sealed));
        assertThrows(IllegalStateException.class, () -> new Pseudonymizer(table, KEK)
                .pseudonym("globex", deployment, NOV).await().indefinitely(), "a key copied to another tenant");
        assertFalse(HexFormat.of().formatHex(sealed).isEmpty());
    }

    @Test
    void aKekRotationResealsEveryKeyAndChangesNoPseudonym() {
        String old = "the-old-kek-of-2025";
        String current = "the-new-kek-of-2026";
        String acmeNov = new Pseudonymizer(table, old).pseudonym("acme", deployment, NOV).await().indefinitely();
        String globexJan = new Pseudonymizer(table, old).pseudonym("globex", deployment, JAN).await().indefinitely();

        // Step 1: the new KEK is current, the old one previous: old keys open, new keys are sealed under the new.
        Pseudonymizer rotating = new Pseudonymizer(table, current, List.of(old));
        assertEquals(acmeNov, rotating.pseudonym("acme", deployment, NOV).await().indefinitely());
        rotating.pseudonym("acme", deployment, JAN).await().indefinitely();
        assertThrows(IllegalStateException.class, () -> new Pseudonymizer(table, current)
                .pseudonym("globex", deployment, JAN).await().indefinitely(), "not resealed yet");

        // Step 2: reseal. Only the two old keys move; a second run finds nothing to do.
        assertEquals(new Pseudonymizer.Reseal(2, 1), rotating.resealAll().await().indefinitely());
        assertEquals(new Pseudonymizer.Reseal(0, 3), rotating.resealAll().await().indefinitely());

        // Step 3: the old KEK is gone; every key opens, and every pseudonym is what it was.
        Pseudonymizer after = new Pseudonymizer(table, current);
        assertEquals(acmeNov, after.pseudonym("acme", deployment, NOV).await().indefinitely());
        assertEquals(globexJan, after.pseudonym("globex", deployment, JAN).await().indefinitely());
        assertThrows(IllegalStateException.class, () -> new Pseudonymizer(table, old)
                .pseudonym("acme", deployment, NOV).await().indefinitely(), "the old KEK opens nothing now");
    }

    @Test
    void refusesAWeakKek() {
        assertThrows(IllegalArgumentException.class, () -> new Pseudonymizer(table, "short"));
    }

    /** The key table as a map. */
    static final class InMemoryKeys extends PseudonymKeyRepository {
        final Map<String, SealedKey> keys = new ConcurrentHashMap<>();

        InMemoryKeys() {
            super(null);
        }

        @Override
        public Uni<SealedKey> putIfAbsent(SealedKey key) {
            return Uni.createFrom().item(keys.computeIfAbsent(key.tenant() + "/" + key.epoch(), any -> key));
        }

        @Override
        public Uni<SealedKey> find(String tenant, String epoch) {
            return Uni.createFrom().item(keys.get(tenant + "/" + epoch));
        }

        @Override
        public Uni<List<SealedKey>> all() {
            return Uni.createFrom().item(new ArrayList<>(keys.values()));
        }

        @Override
        public Uni<Boolean> reseal(SealedKey read, byte[] resealed) {
            String id = read.tenant() + "/" + read.epoch();
            return Uni.createFrom().item(keys.replace(id, read, new SealedKey(read.tenant(), read.epoch(), resealed)));
        }

        @Override
        public Uni<List<SealedKey>> allOf(String tenant) {
            return Uni.createFrom().item(new ArrayList<>(keys.values().stream()
                    .filter(key -> key.tenant().equals(tenant)).toList()));
        }
    }
}
