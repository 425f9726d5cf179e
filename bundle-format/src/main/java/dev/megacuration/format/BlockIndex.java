package dev.megacuration.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which entries of a level a compacted (version 2) file still holds, as sorted runs of present entries
 * (docs/ctx-format.md). Entry n is present when a run covers it; its payload ordinal (how many present
 * entries precede it) gives its offset, so entries are still found by computation, with one binary search.
 * A dense file is the one-run index {@code [0, numEntries)}.
 */
public final class BlockIndex {
    /** Bytes of one run on disk: first entry and entry count, both uint64. */
    public static final int RUN_BYTES = 16;

    /** One run of present entries. */
    public record Run(long first, long count) {
        public long end() {
            return first + count;
        }
    }

    private final long numEntries;
    private final long[] firsts;
    private final long[] counts;
    /** Present entries before run i: the payload ordinal of its first entry. */
    private final long[] ordinals;
    private final long present;

    private BlockIndex(long numEntries, long[] firsts, long[] counts) {
        this.numEntries = numEntries;
        this.firsts = firsts;
        this.counts = counts;
        this.ordinals = new long[firsts.length];
        long total = 0;
        for (int i = 0; i < firsts.length; i++) {
            ordinals[i] = total;
            total += counts[i];
        }
        this.present = total;
    }

    public static BlockIndex dense(long numEntries) {
        return numEntries == 0 ? new BlockIndex(0, new long[0], new long[0])
                : new BlockIndex(numEntries, new long[] {0}, new long[] {numEntries});
    }

    /**
     * An index from runs in any order; adjacent or overlapping runs are merged and empty ones dropped, so
     * equal sets of present entries always have the same index (and the same bytes on disk).
     */
    public static BlockIndex of(long numEntries, List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs.stream().filter(r -> r.count() > 0).toList());
        sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
        List<Run> merged = new ArrayList<>();
        for (Run run : sorted) {
            if (run.first() < 0 || run.end() > numEntries) {
                throw new IllegalArgumentException("run " + run + " outside 0.." + numEntries);
            }
            Run last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && run.first() <= last.end()) {
                merged.set(merged.size() - 1, new Run(last.first(), Math.max(last.end(), run.end()) - last.first()));
            } else {
                merged.add(run);
            }
        }
        return new BlockIndex(numEntries, merged.stream().mapToLong(Run::first).toArray(),
                merged.stream().mapToLong(Run::count).toArray());
    }

    /** Decodes runCount runs and checks them: sorted, disjoint, not adjacent, non-empty, inside the file. */
    static BlockIndex decode(ByteBuffer raw, int runCount, long numEntries) throws CtxFormatException {
        ByteBuffer buffer = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] firsts = new long[runCount];
        long[] counts = new long[runCount];
        long previousEnd = -1;
        for (int i = 0; i < runCount; i++) {
            long first = buffer.getLong();
            long count = buffer.getLong();
            if (first < 0 || count <= 0 || first > numEntries || count > numEntries - first) {
                throw new CtxFormatException("block index run " + i + " [" + first + ", +" + count
                        + ") is empty or outside the " + numEntries + " entries");
            }
            if (first <= previousEnd) {
                throw new CtxFormatException("block index run " + i + " is out of order, overlaps or touches run "
                        + (i - 1));
            }
            firsts[i] = first;
            counts[i] = count;
            previousEnd = first + count;
        }
        return new BlockIndex(numEntries, firsts, counts);
    }

    ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(firsts.length * RUN_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < firsts.length; i++) {
            buffer.putLong(firsts[i]).putLong(counts[i]);
        }
        return buffer.flip();
    }

    public long numEntries() {
        return numEntries;
    }

    /** Entries the file holds. */
    public long presentEntries() {
        return present;
    }

    public boolean isDense() {
        return present == numEntries;
    }

    public int runCount() {
        return firsts.length;
    }

    public List<Run> runs() {
        List<Run> runs = new ArrayList<>(firsts.length);
        for (int i = 0; i < firsts.length; i++) {
            runs.add(new Run(firsts[i], counts[i]));
        }
        return runs;
    }

    /** The payload ordinal of entry n, or -1 when it was compacted away. */
    public long ordinal(long n) {
        int i = Arrays.binarySearch(firsts, n);
        if (i < 0) {
            i = -i - 2; // the last run starting before n
        }
        if (i < 0 || n >= firsts[i] + counts[i]) {
            return -1;
        }
        return ordinals[i] + (n - firsts[i]);
    }

    /** Present entries below n. */
    public long presentBefore(long n) {
        int i = Arrays.binarySearch(firsts, n);
        if (i >= 0) {
            return ordinals[i];
        }
        i = -i - 2;
        return i < 0 ? 0 : ordinals[i] + Math.min(counts[i], n - firsts[i]);
    }

    /** Present entries in [first, first + count). */
    public long presentIn(long first, long count) {
        return presentBefore(first + count) - presentBefore(first);
    }

    public boolean isPresent(long n) {
        return n >= 0 && n < numEntries && ordinal(n) >= 0;
    }

    /** Whether every entry of [first, first + count) is present. */
    public boolean isPresent(long first, long count) {
        if (count <= 0) {
            return true;
        }
        long start = ordinal(first);
        return start >= 0 && ordinal(first + count - 1) == start + count - 1;
    }

    /** Whether no entry of [first, first + count) is present. */
    public boolean isAbsent(long first, long count) {
        if (count <= 0) {
            return true;
        }
        int i = Arrays.binarySearch(firsts, first);
        if (i >= 0) {
            return false;
        }
        int before = -i - 2;
        if (before >= 0 && firsts[before] + counts[before] > first) {
            return false;
        }
        int after = -i - 1;
        return after >= firsts.length || firsts[after] >= first + count;
    }

    /** The present parts of [first, first + count), in order (one binary search, then the runs it overlaps). */
    public List<Run> presentRuns(long first, long count) {
        List<Run> parts = new ArrayList<>(1);
        long end = first + count;
        int i = Arrays.binarySearch(firsts, first);
        if (i < 0) {
            i = Math.max(0, -i - 2);
        }
        for (; i < firsts.length && firsts[i] < end; i++) {
            long start = Math.max(first, firsts[i]);
            long stop = Math.min(end, firsts[i] + counts[i]);
            if (stop > start) {
                parts.add(new Run(start, stop - start));
            }
        }
        return parts;
    }

    /** This index without the given entries. */
    public BlockIndex without(List<Run> removed) {
        return removed.isEmpty() ? this : minus(BlockIndex.of(numEntries, removed));
    }

    /** This index with the given entries present again. */
    public BlockIndex with(List<Run> added) {
        if (added.isEmpty()) {
            return this; // immutable: nothing to merge or sort again
        }
        List<Run> all = new ArrayList<>(runs());
        all.addAll(added);
        return BlockIndex.of(numEntries, all);
    }

    private BlockIndex minus(BlockIndex removed) {
        List<Run> left = new ArrayList<>();
        int j = 0;
        for (Run run : runs()) {
            long start = run.first();
            while (j < removed.firsts.length && removed.firsts[j] + removed.counts[j] <= start) {
                j++;
            }
            int k = j;
            while (k < removed.firsts.length && removed.firsts[k] < run.end()) {
                if (removed.firsts[k] > start) {
                    left.add(new Run(start, removed.firsts[k] - start));
                }
                start = Math.max(start, removed.firsts[k] + removed.counts[k]);
                k++;
            }
            if (start < run.end()) {
                left.add(new Run(start, run.end() - start));
            }
        }
        return BlockIndex.of(numEntries, left);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockIndex other && numEntries == other.numEntries && Arrays.equals(firsts, other.firsts)
                && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(numEntries) * 31 + Arrays.hashCode(firsts) * 17 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "BlockIndex" + runs() + " of " + numEntries;
    }
}
