package dev.megacuration.format.rebuild;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchiveWriter;
import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BlockIndex;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.BundleMetadata;
import dev.megacuration.format.CtxFile;
import dev.megacuration.format.CtxHeader;
import dev.megacuration.format.LevelWriter;
import dev.megacuration.format.PayloadReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a release into a new directory without re-ingesting anything. Each level is read once, front to
 * back: runs still present are copied through, removed runs go to the archive with their checksums, and
 * restored runs come back from the base archive byte for byte. Checksums of the new files are computed as
 * they are written, and the output is checked (structure, tree invariant, archive) before it is returned.
 * The base directory is only read, so a rebuild that dies leaves the base release as it was; its own
 * partial output has no valid headers and no metadata.json, so nothing accepts it (the caller publishes
 * the output atomically).
 */
public final class ReleaseRebuild {
    private ReleaseRebuild() {
    }

    /** One step of a level's pass, in entry order: copy from the base, take into the archive, or restore. */
    private record Step(long first, long count, Kind kind, int record) {
        enum Kind { COPY, ARCHIVE, RESTORE }
    }

    public static RebuildResult rebuild(Path baseDir, Path outDir, RebuildRequest request, Progress progress)
            throws IOException {
        // The base's checksums were checked when it arrived (ReleaseFiles, the store): here only its structure.
        BundleFiles.Verified base = BundleFiles.verifyStructure(baseDir);
        Files.createDirectories(outDir);
        Path baseArchivePath = baseDir.resolve(ArchiveFile.FILE_NAME);
        ArchiveFile baseArchive = Files.isRegularFile(baseArchivePath) ? ArchiveFile.open(baseArchivePath) : null;
        List<CtxFile> files = new ArrayList<>();
        try {
            for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                files.add(CtxFile.open(baseDir.resolve(BundleMetadata.fileName(level)), level));
            }
            List<Integer> carried = new ArrayList<>();
            List<ArchivedRun> restored = new ArrayList<>();
            List<Integer> restoredRecords = new ArrayList<>();
            List<ArchivedRun> dropped = new ArrayList<>();
            List<ArchivedRun> baseRuns = baseArchive == null ? List.of() : baseArchive.runs();
            for (int i = 0; i < baseRuns.size(); i++) {
                ArchivedRun run = baseRuns.get(i);
                if (request.restoreSpans().contains(run.spanId())) {
                    restored.add(run);
                    restoredRecords.add(i);
                } else if (run.action() == ArchivedRun.Action.DELETE && run.expired(request.now())) {
                    dropped.add(run);
                } else {
                    carried.add(i);
                }
            }
            List<ArchivedRun> archivedNow = archivedNow(request, files);

            long totalBytes = 0;
            List<BlockIndex> indexes = new ArrayList<>();
            for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                int l = level;
                BlockIndex index = files.get(level).index()
                        .without(archivedNow.stream().filter(r -> r.level() == l).map(ArchivedRun::run).toList())
                        .with(restored.stream().filter(r -> r.level() == l).map(ArchivedRun::run).toList());
                indexes.add(index);
                totalBytes += index.presentEntries() * files.get(level).header().entryBytes();
            }

            int records = carried.size() + archivedNow.size();
            Path archivePath = outDir.resolve(ArchiveFile.FILE_NAME);
            ArchiveFile.Shape shape = new ArchiveFile.Shape(base.metadata().embeddingDim(),
                    files.get(1).header().dtype(), base.metadata().modelName());
            long[] done = {0, 0}; // copied, written from the archive
            Map<String, BundleMetadata.Level> levels = new LinkedHashMap<>();
            List<String> checksums = new ArrayList<>();
            List<ArchivedRun> archivedWritten = List.of();
            try (ArchiveWriter archive = records == 0 ? null : new ArchiveWriter(archivePath, shape, records)) {
                for (int record : carried) {
                    archive.carry(baseArchive, record);
                }
                for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                    CtxFile source = files.get(level);
                    int entryBytes = source.header().entryBytes();
                    Path target = outDir.resolve(BundleMetadata.fileName(level));
                    PayloadReader reader = source.sequentialReader();
                    LevelWriter writer = new LevelWriter(target, source.header(), indexes.get(level));
                    try {
                        for (Step step : steps(source.index(), indexes.get(level), level, archivedNow, restored,
                                restoredRecords)) {
                            switch (step.kind()) {
                                case COPY -> {
                                    reader.stream(step.first(), step.count(), writer::write);
                                    done[0] += step.count() * entryBytes;
                                }
                                case RESTORE -> {
                                    writer.write(baseArchive.read(step.record()));
                                    done[1] += step.count() * entryBytes;
                                }
                                case ARCHIVE -> archive.append(archivedNow.get(step.record()),
                                        reader.read(step.first(), step.count()));
                            }
                            progress.update(done[0] + done[1], totalBytes);
                        }
                        writer.finish();
                    } finally {
                        writer.close();
                    }
                    checksums.add(writer.sha256()); // computed while writing: nothing is read back
                    levels.put(BundleMetadata.levelName(level), levelEntry(level, Files.size(target),
                            indexes.get(level)));
                }
                if (archive != null) {
                    archivedWritten = archive.written().subList(carried.size(), records);
                }
            }
            BundleMetadata.Curation curation = records > 0
                    ? new BundleMetadata.Curation(request.baseVersion(), request.planId().toString(), records,
                    Files.size(archivePath), BundleFiles.sha256(archivePath))
                    : new BundleMetadata.Curation(request.baseVersion(), request.planId().toString(), 0, 0, null);
            BundleMetadata old = base.metadata();
            new BundleMetadata(old.version(), old.createdAt(), old.modelName(), old.embeddingDim(), old.blockSize(),
                    levels, old.gistnetCheckpoint(), old.ingestionComplete(), request.now().toString(), curation)
                    .write(outDir);
            if (totalBytes != done[0] + done[1]) {
                throw new IllegalStateException("wrote " + (done[0] + done[1]) + " payload bytes, expected " + totalBytes);
            }
            return new RebuildResult(BundleFiles.withChecksums(BundleFiles.verifyStructure(outDir), checksums),
                    archivedWritten, List.copyOf(restored), List.copyOf(dropped), done[0], done[1]);
        } finally {
            for (CtxFile file : files) {
                file.close();
            }
            if (baseArchive != null) {
                baseArchive.close();
            }
        }
    }

    /** What leaves now: only entries the base still holds (a span compacted before stays compacted). */
    private static List<ArchivedRun> archivedNow(RebuildRequest request, List<CtxFile> files) {
        List<ArchivedRun> runs = new ArrayList<>();
        for (Removal removal : request.removals()) {
            BlockIndex present = files.get(removal.level()).index();
            for (BlockIndex.Run run : present.presentRuns(removal.first(), removal.count())) {
                runs.add(new ArchivedRun(removal.level(), removal.action(), removal.spanId(), run.first(), run.count(),
                        removal.action() == ArchivedRun.Action.DELETE ? request.deleteAfter() : null,
                        request.planId(), null));
            }
        }
        return dedupe(runs);
    }

    /** Two planned spans may name overlapping entries (an LOD2 span and its own LOD1 child): keep each once. */
    private static List<ArchivedRun> dedupe(List<ArchivedRun> runs) {
        List<ArchivedRun> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingInt(ArchivedRun::level).thenComparingLong(ArchivedRun::first));
        List<ArchivedRun> out = new ArrayList<>();
        for (ArchivedRun run : sorted) {
            ArchivedRun last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.level() == run.level() && run.first() < last.first() + last.count()) {
                long end = run.first() + run.count();
                long lastEnd = last.first() + last.count();
                if (end > lastEnd) {
                    out.add(new ArchivedRun(run.level(), run.action(), run.spanId(), lastEnd, end - lastEnd,
                            run.deleteAfter(), run.planId(), null));
                }
            } else {
                out.add(run);
            }
        }
        return out;
    }

    /**
     * A level's pass in entry order: the base's runs that stay (copied), its runs that leave (archived;
     * {@code record} indexes {@code archivedNow}) and restored runs ({@code record} indexes the base archive).
     */
    private static List<Step> steps(BlockIndex baseIndex, BlockIndex target, int level, List<ArchivedRun> archivedNow,
                                    List<ArchivedRun> restored, List<Integer> restoredRecords) {
        List<Step> steps = new ArrayList<>();
        List<BlockIndex.Run> restoredRuns = new ArrayList<>();
        for (int i = 0; i < restored.size(); i++) {
            if (restored.get(i).level() == level) {
                steps.add(new Step(restored.get(i).first(), restored.get(i).count(), Step.Kind.RESTORE,
                        restoredRecords.get(i)));
                restoredRuns.add(restored.get(i).run());
            }
        }
        for (int i = 0; i < archivedNow.size(); i++) {
            ArchivedRun run = archivedNow.get(i);
            if (run.level() == level) {
                steps.add(new Step(run.first(), run.count(), Step.Kind.ARCHIVE, i));
            }
        }
        for (BlockIndex.Run run : target.without(restoredRuns).runs()) {
            if (!baseIndex.isPresent(run.first(), run.count())) {
                throw new IllegalStateException("L" + level + " run " + run + " is neither in the base nor restored");
            }
            steps.add(new Step(run.first(), run.count(), Step.Kind.COPY, -1));
        }
        steps.sort(Comparator.comparingLong(Step::first));
        return steps;
    }

    private static BundleMetadata.Level levelEntry(int level, long size, BlockIndex index) {
        long entries = index.numEntries();
        Long present = index.isDense() ? null : index.presentEntries();
        return level == 0
                ? new BundleMetadata.Level(entries / CtxHeader.BLOCK_SIZE, entries, null, size, present)
                : new BundleMetadata.Level(null, null, entries, size, present);
    }
}
