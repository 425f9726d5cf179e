package dev.megacuration.format.rebuild;

import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import java.util.List;

/**
 * A rebuilt release directory, verified, with what moved: runs archived now, runs restored, runs dropped
 * after their retention, and how many payload bytes were copied through unchanged versus written anew.
 */
public record RebuildResult(BundleFiles.Verified verified, List<ArchivedRun> archived, List<ArchivedRun> restored,
                            List<ArchivedRun> dropped, long bytesCopied, long bytesWritten) {

    public long liveBytes() {
        return verified.levels().stream().mapToLong(BundleFiles.LevelFile::sizeBytes).sum();
    }
}
