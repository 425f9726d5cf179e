package dev.megacuration.curation.planning;

import dev.megacuration.curation.policy.Policy;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns published cells per age bucket into a {@link UsageTable}: time decay needs usage by age, and the
 * feed answers per window, so the window is read in age buckets (last week, month, quarter, half-year,
 * year, older) and a bucket's expands count with weight {@code 0.5^(age / half_life)}, giving a decayed
 * weekly rate. A cell below threshold in a bucket within one half-life makes the span "used below
 * threshold" (used, not unused); stale reports are summed over published cells only, so a stale decision always rests on k or
 * more deployments. The runner (from the analytics feed) and the quality evaluation (from simulated
 * usage) both go through here.
 */
public final class UsageAccumulator {
    /** Bucket edges in days before today. */
    private static final int[] EDGES = {0, 7, 30, 90, 180, 365, 730, 1095};

    /** One age bucket of the window: [from, to] inclusive, its weight and its length in weeks. */
    public record Bucket(LocalDate from, LocalDate to, double weight, double weeks) {
    }

    private final List<Bucket> buckets;
    private final int[] sizes;
    private final double[][] weighted;
    private final byte[][] expand;
    private final byte[][] stale;
    private final long[][] reports;
    /** Expand-weighted sums over the buckets of residency and median ΔNLL, with their weights. */
    private final float[][] residencySum;
    private final float[][] residencyWeight;
    private final float[][] nllSum;
    private final float[][] nllWeight;
    /** Epoch day + 1 of the last published piece; 0 where none. */
    private final int[][] lastSeen;

    public UsageAccumulator(LocalDate today, Policy policy, long lod1, long lod2) {
        this.buckets = buckets(today, policy);
        this.sizes = new int[] {0, Math.toIntExact(lod1), Math.toIntExact(lod2)};
        this.weighted = new double[][] {null, new double[sizes[1]], new double[sizes[2]]};
        this.expand = new byte[][] {null, new byte[sizes[1]], new byte[sizes[2]]};
        this.stale = new byte[][] {null, new byte[sizes[1]], new byte[sizes[2]]};
        this.reports = new long[][] {null, new long[sizes[1]], new long[sizes[2]]};
        this.residencySum = new float[][] {null, new float[sizes[1]], new float[sizes[2]]};
        this.residencyWeight = new float[][] {null, new float[sizes[1]], new float[sizes[2]]};
        this.nllSum = new float[][] {null, new float[sizes[1]], new float[sizes[2]]};
        this.nllWeight = new float[][] {null, new float[sizes[1]], new float[sizes[2]]};
        this.lastSeen = new int[][] {null, new int[sizes[1]], new int[sizes[2]]};
    }

    public static List<Bucket> buckets(LocalDate today, Policy policy) {
        List<Bucket> buckets = new ArrayList<>();
        for (int b = 0; b + 1 < EDGES.length && EDGES[b] < policy.windowDays(); b++) {
            int start = EDGES[b];
            int end = Math.min(EDGES[b + 1], policy.windowDays());
            double mid = (start + end) / 2.0;
            buckets.add(new Bucket(today.minusDays(end - 1L), today.minusDays(start),
                    Math.pow(0.5, mid / policy.halfLifeDays()), (end - start) / 7.0));
        }
        return buckets;
    }

    public List<Bucket> buckets() {
        return buckets;
    }

    /** Whether the span exists in the release planned (a longer version's spans are ignored). */
    public boolean covers(int level, long index) {
        return level >= 1 && level <= 2 && index >= 0 && index < sizes[level];
    }

    /**
     * One span's expand cell in one bucket; {@code expands} counts only when published. Use below threshold
     * marks the span used only in buckets within one half-life: older use decays, published or not, so a
     * single deployment's expand a year ago does not keep a span for ever.
     */
    public void expand(int bucket, int level, long index, CellStatus status, long expands) {
        int i = (int) index;
        if (status == CellStatus.PUBLISHED) {
            weighted[level][i] += buckets.get(bucket).weight() * expands;
        }
        if (status == CellStatus.BELOW_THRESHOLD && buckets.get(bucket).weight() < 0.5) {
            status = CellStatus.NONE;
        }
        expand[level][i] = merge(expand[level][i], status);
    }

    /**
     * What one bucket's published expand cell measured (any of them null when no report did): the
     * residency and median ΔNLL are averaged over the buckets, weighted by their expands, and the last
     * day seen is the latest.
     */
    public void measured(int level, long index, long expands, Double residency, Double deltaNllMedian,
                         LocalDate seen) {
        int i = (int) index;
        float weight = Math.max(1, expands);
        if (residency != null) {
            residencySum[level][i] += (float) (residency * weight);
            residencyWeight[level][i] += weight;
        }
        if (deltaNllMedian != null) {
            nllSum[level][i] += (float) (deltaNllMedian * weight);
            nllWeight[level][i] += weight;
        }
        if (seen != null) {
            lastSeen[level][i] = Math.max(lastSeen[level][i], Math.toIntExact(seen.toEpochDay() + 1));
        }
    }

    /** One span's stale cell in one bucket; reports count only when published. */
    public void stale(int level, long index, CellStatus status, long staleReports) {
        int i = (int) index;
        if (status == CellStatus.PUBLISHED) {
            reports[level][i] += staleReports;
        }
        stale[level][i] = merge(stale[level][i], status);
    }

    public UsageTable table() {
        double weightedWeeks = buckets.stream().mapToDouble(b -> b.weight() * b.weeks()).sum();
        UsageTable usage = new UsageTable(sizes[1], sizes[2]);
        for (int level = 1; level <= 2; level++) {
            for (int i = 0; i < sizes[level]; i++) {
                usage.expand(level, i, status(expand[level][i]), weighted[level][i] / weightedWeeks);
                usage.stale(level, i, status(stale[level][i]), reports[level][i]);
                usage.measured(level, i, average(residencySum[level][i], residencyWeight[level][i]),
                        average(nllSum[level][i], nllWeight[level][i]),
                        lastSeen[level][i] == 0 ? null : LocalDate.ofEpochDay(lastSeen[level][i] - 1L));
            }
        }
        return usage;
    }

    private static Double average(float sum, float weight) {
        return weight == 0 ? null : (double) (sum / weight);
    }

    /** Below threshold wins over published, published over none (0 none, 1 published, 2 below). */
    private static byte merge(byte seen, CellStatus status) {
        byte code = switch (status) {
            case NONE -> 0;
            case PUBLISHED -> 1;
            case BELOW_THRESHOLD -> 2;
        };
        return (byte) Math.max(seen, code);
    }

    private static CellStatus status(byte code) {
        return code == 2 ? CellStatus.BELOW_THRESHOLD : code == 1 ? CellStatus.PUBLISHED : CellStatus.NONE;
    }
}
