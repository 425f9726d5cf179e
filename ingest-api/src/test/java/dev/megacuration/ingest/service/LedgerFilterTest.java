package dev.megacuration.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LedgerFilterTest {

    @Test
    void everyAddedPairIsAMaybeAndFewOthersAre() {
        LedgerFilter filter = new LedgerFilter();
        SplittableRandom random = new SplittableRandom(7);
        List<UUID> deployments = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            deployments.add(random(random, 4));
        }
        List<UUID[]> added = new ArrayList<>();
        // Past several block sizes (65,536, then 131,072, ...), with version 7 ids (time-ordered, as
        // clients mint them) as well as version 4 ones.
        for (int i = 0; i < 300_000; i++) {
            UUID[] pair = {deployments.get(i % deployments.size()), random(random, i % 2 == 0 ? 4 : 7)};
            filter.add(pair[0], pair[1]);
            added.add(pair);
        }
        for (UUID[] pair : added) {
            assertTrue(filter.mightContain(pair[0], pair[1]), "no false negative");
        }
        assertEquals(300_000, filter.count());

        int maybes = 0;
        int tries = 200_000;
        for (int i = 0; i < tries; i++) {
            UUID deployment = deployments.get(i % deployments.size());
            // The same report ids under another deployment are other pairs.
            UUID report = i % 4 == 0 ? added.get(i)[1] : random(random, 4);
            if (i % 4 == 0) {
                deployment = deployments.get((i + 1) % deployments.size());
                if (deployment.equals(added.get(i)[0])) {
                    continue;
                }
            }
            if (filter.mightContain(deployment, report)) {
                maybes++;
            }
        }
        // Each block answers a false maybe about 0.8% of the time, and a lookup asks every block (three here).
        assertTrue(maybes < tries * 0.03, "false maybes: " + maybes + " of " + tries);
    }

    private static UUID random(SplittableRandom random, int version) {
        long msb = (random.nextLong() & ~0xF000L) | ((long) version << 12);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        if (version == 7) {
            msb = (System.currentTimeMillis() << 16) | (msb & 0xFFFFL);
        }
        return new UUID(msb, lsb);
    }
}
