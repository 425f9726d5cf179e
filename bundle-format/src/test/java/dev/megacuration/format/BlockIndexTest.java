package dev.megacuration.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.megacuration.format.BlockIndex.Run;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockIndexTest {

    @Test
    void ordinalsCountPresentEntriesBeforeEachOne() {
        BlockIndex index = BlockIndex.of(100, List.of(new Run(64, 32), new Run(0, 32), new Run(96, 4)));
        assertEquals(List.of(new Run(0, 32), new Run(64, 36)), index.runs(), "sorted and merged");
        assertEquals(68, index.presentEntries());
        assertEquals(0, index.ordinal(0));
        assertEquals(31, index.ordinal(31));
        assertEquals(-1, index.ordinal(32));
        assertEquals(-1, index.ordinal(63));
        assertEquals(32, index.ordinal(64));
        assertEquals(67, index.ordinal(99));
        assertTrue(index.isPresent(64, 36));
        assertFalse(index.isPresent(30, 4));
        assertTrue(index.isAbsent(32, 32));
        assertFalse(index.isAbsent(33, 32));
        assertFalse(index.isAbsent(20, 5));
        assertEquals(List.of(new Run(20, 12), new Run(64, 6)), index.presentRuns(20, 50));
        assertEquals(List.of(), index.presentRuns(40, 10));
    }

    @Test
    void removingAndAddingBackGivesTheSameIndexAsABitSet() throws CtxFormatException {
        SplittableRandom random = new SplittableRandom(11);
        BlockIndex index = BlockIndex.dense(10_000);
        BitSet expected = new BitSet();
        expected.set(0, 10_000);
        for (int step = 0; step < 300; step++) {
            long first = random.nextLong(10_000);
            long count = 1 + random.nextLong(Math.min(200, 10_000 - first));
            if (random.nextBoolean()) {
                index = index.without(List.of(new Run(first, count)));
                expected.clear((int) first, (int) (first + count));
            } else {
                index = index.with(List.of(new Run(first, count)));
                expected.set((int) first, (int) (first + count));
            }
        }
        assertEquals(expected.cardinality(), index.presentEntries());
        long ordinal = 0;
        for (int n = 0; n < 10_000; n++) {
            assertEquals(expected.get(n), index.isPresent(n), "entry " + n);
            if (expected.get(n)) {
                assertEquals(ordinal++, index.ordinal(n));
            }
        }
        BlockIndex decoded = BlockIndex.decode(index.encode(), index.runCount(), 10_000);
        assertEquals(index, decoded);
    }

    @Test
    void decodingRefusesRunsOutOfOrderOrOutside() {
        ByteBuffer overlapping = ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(0).putLong(10).putLong(5).putLong(10).flip();
        assertThrows(CtxFormatException.class, () -> BlockIndex.decode(overlapping, 2, 100));
        ByteBuffer outside = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(95).putLong(10).flip();
        assertThrows(CtxFormatException.class, () -> BlockIndex.decode(outside, 1, 100));
        ByteBuffer empty = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(3).putLong(0).flip();
        assertThrows(CtxFormatException.class, () -> BlockIndex.decode(empty, 1, 100));
    }
}
