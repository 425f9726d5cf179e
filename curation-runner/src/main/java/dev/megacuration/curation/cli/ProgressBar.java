package dev.megacuration.curation.cli;

import java.io.PrintWriter;
import dev.megacuration.format.rebuild.Progress;

/** A progress bar on standard error for long rebuilds, redrawn at most five times a second. */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String label;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void update(long done, long total) {
        long now = System.nanoTime();
        if (total <= 0 || now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        double share = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(share * WIDTH);
        err.printf("\r%s [%s%s] %3.0f%% %,d / %,d bytes", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                share * 100, done, total);
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
