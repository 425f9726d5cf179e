package dev.megacuration.curation.planning;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * What the stats feed says about every LOD1 and LOD2 span of a release, in flat arrays (a 1M-span bundle
 * fits in a few tens of megabytes): expand status and decayed expands per week, stale status and reports,
 * and where published reports measured them, residency, the median ΔNLL and the last day seen. A span
 * nobody reported is {@link CellStatus#NONE}.
 */
public final class UsageTable {
    private final byte[][] expandStatus = new byte[3][];
    private final float[][] weeklyExpands = new float[3][];
    private final byte[][] staleStatus = new byte[3][];
    private final int[][] staleReports = new int[3][];
    /** NaN where no published report measured it. */
    private final float[][] residency = new float[3][];
    private final float[][] deltaNll = new float[3][];
    /** Epoch day + 1 of the last published piece; 0 where none. */
    private final int[][] lastSeen = new int[3][];

    public UsageTable(long lod1Spans, long lod2Spans) {
        for (int level = 1; level <= 2; level++) {
            int n = Math.toIntExact(level == 1 ? lod1Spans : lod2Spans);
            expandStatus[level] = new byte[n];
            weeklyExpands[level] = new float[n];
            staleStatus[level] = new byte[n];
            staleReports[level] = new int[n];
            residency[level] = new float[n];
            deltaNll[level] = new float[n];
            lastSeen[level] = new int[n];
            Arrays.fill(residency[level], Float.NaN);
            Arrays.fill(deltaNll[level], Float.NaN);
            Arrays.fill(expandStatus[level], (byte) CellStatus.NONE.ordinal());
            Arrays.fill(staleStatus[level], (byte) CellStatus.NONE.ordinal());
        }
    }

    public long spans(int level) {
        return expandStatus[level].length;
    }

    public void expand(int level, long index, CellStatus status, double perWeek) {
        expandStatus[level][(int) index] = (byte) status.ordinal();
        weeklyExpands[level][(int) index] = (float) perWeek;
    }

    public void stale(int level, long index, CellStatus status, long reports) {
        staleStatus[level][(int) index] = (byte) status.ordinal();
        staleReports[level][(int) index] = (int) Math.min(Integer.MAX_VALUE, reports);
    }

    public CellStatus expandStatus(int level, long index) {
        return CellStatus.values()[expandStatus[level][(int) index]];
    }

    public double weeklyExpands(int level, long index) {
        return weeklyExpands[level][(int) index];
    }

    public CellStatus staleStatus(int level, long index) {
        return CellStatus.values()[staleStatus[level][(int) index]];
    }

    public long staleReports(int level, long index) {
        return staleReports[level][(int) index];
    }

    /** What published reports measured about a span's use; any of them null when none did. */
    public void measured(int level, long index, Double residencyAverage, Double deltaNllMedian, LocalDate seen) {
        residency[level][(int) index] = residencyAverage == null ? Float.NaN : residencyAverage.floatValue();
        deltaNll[level][(int) index] = deltaNllMedian == null ? Float.NaN : deltaNllMedian.floatValue();
        lastSeen[level][(int) index] = seen == null ? 0 : Math.toIntExact(seen.toEpochDay() + 1);
    }

    /** Average share of the time the span's detail stayed expanded; null when unmeasured. */
    public Double residency(int level, long index) {
        float value = residency[level][(int) index];
        return Float.isNaN(value) ? null : (double) value;
    }

    /** Median loss change when the gist replaces the span's detail; null when unmeasured. */
    public Double deltaNll(int level, long index) {
        float value = deltaNll[level][(int) index];
        return Float.isNaN(value) ? null : (double) value;
    }

    /** The last UTC day with a published piece of the span's use; null when none. */
    public LocalDate lastSeen(int level, long index) {
        int day = lastSeen[level][(int) index];
        return day == 0 ? null : LocalDate.ofEpochDay(day - 1L);
    }
}
