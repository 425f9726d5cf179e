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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a release into a new directory without re-ingesting anything: unchanged runs of entries are
 * copied by the OS from the base files, removed entries go to the archive file with their checksums, and
 * restored runs come back from the base archive byte for byte. Only the levels and the archive are
 * rewritten; the output is verified before it is returned. The base directory is only read, so a rebuild
 * that dies leaves the base release as it was (the caller publishes the output atomically).
 */
public final class ReleaseRebuild {
    private ReleaseRebuild() {
    }

    /** One contiguous piece of a new level: copied from the base file, or taken from an archived run. */
    private record Piece(long first, long count, int archiveRecord) {
    }

    /**
     * @param progress told the payload bytes written so far, for a progress bar on long rebuilds
     */
    public static RebuildResult rebuild(Path baseDir, Path outDir, RebuildRequest request, Progress progress)
            throws IOException {
        BundleFiles.Verified base = BundleFiles.verify(baseDir);
        Files.createDirectories(outDir);
        Path baseArchivePath = baseDir.resolve(ArchiveFile.FILE_NAME);
        ArchiveFile baseArchive = Files.isRegularFile(baseArchivePath) ? ArchiveFile.open(baseArchivePath) : null;
        List<CtxFile> files = new ArrayList<>();
        try {
            for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                files.add(CtxFile.open(baseDir.resolve(BundleMetadata.fileName(level)), level));
            }
            List<ArchivedRun> carried = new ArrayList<>();
            List<Integer> carriedRecords = new ArrayList<>();
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
                    carried.add(run);
                    carriedRecords.add(i);
                }
            }
            // What leaves now: only entries the base still holds (a span compacted before stays compacted).
            List<ArchivedRun> archivedNow = new ArrayList<>();
            for (Removal removal : request.removals()) {
                BlockIndex present = files.get(removal.level()).index();
                for (BlockIndex.Run run : present.presentRuns(removal.first(), removal.count())) {
                    archivedNow.add(new ArchivedRun(removal.level(), removal.action(), removal.spanId(), run.first(),
                            run.count(), removal.action() == ArchivedRun.Action.DELETE ? request.deleteAfter() : null,
                            request.planId(), null));
                }
            }
            archivedNow = dedupe(archivedNow);

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

            long[] done = {0, 0, 0}; // copied, written, reported
            Map<String, BundleMetadata.Level> levels = new LinkedHashMap<>();
            for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                CtxFile source = files.get(level);
                Path target = outDir.resolve(BundleMetadata.fileName(level));
                List<Piece> pieces = pieces(source.index(), indexes.get(level), level, restored, restoredRecords);
                try (LevelWriter writer = new LevelWriter(target, source.header(), indexes.get(level))) {
                    for (Piece piece : pieces) {
                        long bytes = piece.count() * source.header().entryBytes();
                        if (piece.archiveRecord() < 0) {
                            writer.copy(source, piece.first(), piece.count());
                            done[0] += bytes;
                        } else {
                            writer.write(baseArchive.read(piece.archiveRecord()));
                            done[1] += bytes;
                        }
                        progress.update(done[0] + done[1], totalBytes);
                    }
                    writer.finish();
                }
                levels.put(BundleMetadata.levelName(level), levelEntry(base, level, Files.size(target),
                        indexes.get(level)));
            }

            BundleMetadata.Curation curation = null;
            int records = carried.size() + archivedNow.size();
            List<ArchivedRun> archivedWritten = List.of();
            if (records > 0) {
                Path archivePath = outDir.resolve(ArchiveFile.FILE_NAME);
                ArchiveFile.Shape shape = new ArchiveFile.Shape(base.metadata().embeddingDim(),
                        files.get(1).header().dtype(), base.metadata().modelName());
                try (ArchiveWriter archive = new ArchiveWriter(archivePath, shape, records)) {
                    for (int record : carriedRecords) {
                        archive.carry(baseArchive, record);
                    }
                    for (ArchivedRun run : archivedNow) {
                        archive.append(run, files.get(run.level()).entries(run.first(), run.count()));
                    }
                    archivedWritten = archive.written().subList(carried.size(), records);
                }
                curation = new BundleMetadata.Curation(request.baseVersion(), request.planId().toString(), records,
                        Files.size(archivePath), BundleFiles.sha256(archivePath));
            } else {
                curation = new BundleMetadata.Curation(request.baseVersion(), request.planId().toString(), 0, 0, null);
            }
            BundleMetadata old = base.metadata();
            new BundleMetadata(old.version(), old.createdAt(), old.modelName(), old.embeddingDim(), old.blockSize(),
                    levels, old.gistnetCheckpoint(), old.ingestionComplete(), request.now().toString(), curation)
                    .write(outDir);
            if (totalBytes != done[0] + done[1]) {
                throw new IllegalStateException("wrote " + (done[0] + done[1]) + " payload bytes, expected " + totalBytes);
            }
            return new RebuildResult(BundleFiles.verify(outDir), archivedWritten, List.copyOf(restored),
                    List.copyOf(dropped), done[0], done[1]);
        } finally {
            for (CtxFile file : files) {
                file.close();
            }
            if (baseArchive != null) {
                baseArchive.close();
            }
        }
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

    /** The new level in entry order: base runs still present, and restored archive runs, interleaved. */
    private static List<Piece> pieces(BlockIndex baseIndex, BlockIndex target, int level, List<ArchivedRun> restored,
                                      List<Integer> restoredRecords) {
        List<Piece> pieces = new ArrayList<>();
        List<BlockIndex.Run> restoredRuns = new ArrayList<>();
        for (int i = 0; i < restored.size(); i++) {
            if (restored.get(i).level() == level) {
                pieces.add(new Piece(restored.get(i).first(), restored.get(i).count(), restoredRecords.get(i)));
                restoredRuns.add(restored.get(i).run());
            }
        }
        BlockIndex kept = target.without(restoredRuns);
        for (BlockIndex.Run run : kept.runs()) {
            if (!baseIndex.isPresent(run.first(), run.count())) {
                throw new IllegalStateException("L" + level + " run " + run + " is neither in the base nor restored");
            }
            pieces.add(new Piece(run.first(), run.count(), -1));
        }
        pieces.sort(Comparator.comparingLong(Piece::first));
        return pieces;
    }

    private static BundleMetadata.Level levelEntry(BundleFiles.Verified base, int level, long size, BlockIndex index) {
        long entries = index.numEntries();
        Long present = index.isDense() ? null : index.presentEntries();
        return level == 0
                ? new BundleMetadata.Level(entries / CtxHeader.BLOCK_SIZE, entries, null, size, present)
                : new BundleMetadata.Level(null, null, entries, size, present);
    }
}
