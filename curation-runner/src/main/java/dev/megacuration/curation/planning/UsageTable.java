package dev.megacuration.curation.planning;

import java.util.Arrays;

/**
 * What the stats feed says about every LOD1 and LOD2 span of a release, in flat arrays (a 1M-span bundle
 * fits in a few tens of megabytes): expand status and decayed expands per week, stale status and reports.
 * A span nobody reported is {@link CellStatus#NONE}.
 */
public final class UsageTable {
    private final byte[][] expandStatus = new byte[3][];
    private final float[][] weeklyExpands = new float[3][];
    private final byte[][] staleStatus = new byte[3][];
    private final int[][] staleReports = new int[3][];

    public UsageTable(long lod1Spans, long lod2Spans) {
        for (int level = 1; level <= 2; level++) {
            int n = Math.toIntExact(level == 1 ? lod1Spans : lod2Spans);
            expandStatus[level] = new byte[n];
            weeklyExpands[level] = new float[n];
            staleStatus[level] = new byte[n];
            staleReports[level] = new int[n];
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
}
