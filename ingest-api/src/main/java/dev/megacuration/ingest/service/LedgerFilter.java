package dev.megacuration.ingest.service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter over (deployment, report id) pairs: "no" means the pair was never added, "maybe" means it
 * probably was (about one false "maybe" in a hundred). It grows by adding blocks of twice the size of the
 * last, so it needs no size up front; nothing is ever removed (the ledger builds a new one instead).
 * Safe for concurrent adds and lookups without a lock on the lookup.
 */
final class LedgerFilter {
    /** Seven probes at ten bits per id: a false "maybe" rate of about 0.8%. */
    private static final int PROBES = 7;
    private static final int BITS_PER_ID = 10;
    private static final int FIRST_BLOCK_IDS = 1 << 16;

    private final List<Block> blocks = new CopyOnWriteArrayList<>();
    private volatile Block newest;

    LedgerFilter() {
        newest = new Block(FIRST_BLOCK_IDS);
        blocks.add(newest);
    }

    void add(UUID deployment, UUID report) {
        long h1 = hash1(deployment, report);
        long h2 = hash2(deployment, report);
        Block block = newest;
        if (block.isFull()) {
            block = grow(block);
        }
        block.add(h1, h2);
    }

    boolean mightContain(UUID deployment, UUID report) {
        long h1 = hash1(deployment, report);
        long h2 = hash2(deployment, report);
        for (Block block : blocks) {
            if (block.mightContain(h1, h2)) {
                return true;
            }
        }
        return false;
    }

    /** Ids added so far (a pair added twice counts twice). */
    long count() {
        return blocks.stream().mapToLong(Block::count).sum();
    }

    private synchronized Block grow(Block full) {
        if (newest == full) {
            newest = new Block(full.capacity * 2);
            blocks.add(newest);
        }
        return newest;
    }

    // Report ids are random (version 4 or 7), deployment ids too; mixing both halves of each keeps the
    // probes independent even for one deployment's time-ordered version 7 ids.
    private static long hash1(UUID deployment, UUID report) {
        return mix(report.getLeastSignificantBits() ^ Long.rotateLeft(deployment.getMostSignificantBits(), 17)
                ^ report.getMostSignificantBits() * 0x9E3779B97F4A7C15L);
    }

    private static long hash2(UUID deployment, UUID report) {
        return mix(report.getMostSignificantBits() ^ deployment.getLeastSignificantBits() * 0xC2B2AE3D27D4EB4FL
                ^ Long.rotateLeft(report.getLeastSignificantBits(), 31)) | 1;
    }

    /** The finalizer of SplitMix64. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class Block {
        private final int capacity;
        private final AtomicLongArray words;
        private final long mask;
        private final AtomicLong added = new AtomicLong();

        Block(int capacity) {
            this.capacity = capacity;
            // A power of two of bits, at least BITS_PER_ID per id.
            long bits = Long.highestOneBit((long) capacity * BITS_PER_ID - 1) << 1;
            this.words = new AtomicLongArray((int) (bits >>> 6));
            this.mask = bits - 1;
        }

        boolean isFull() {
            return added.get() >= capacity;
        }

        long count() {
            return added.get();
        }

        void add(long h1, long h2) {
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + i * h2) & mask;
                int word = (int) (bit >>> 6);
                long flag = 1L << bit;
                if ((words.get(word) & flag) == 0) {
                    words.getAndAccumulate(word, flag, (a, b) -> a | b);
                }
            }
            added.incrementAndGet();
        }

        boolean mightContain(long h1, long h2) {
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + i * h2) & mask;
                if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
