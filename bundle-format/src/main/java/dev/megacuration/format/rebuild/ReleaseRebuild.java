package dev.megacuration.format.rebuild;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchiveWriter;
import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.Background;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.io.InterruptedIOException;

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
            // archivedNow is in level order: each level's runs are one stretch of it, and so of the archive.
            int[] levelStart = new int[CtxHeader.MAX_LEVEL + 2];
            for (int level = 0; level <= CtxHeader.MAX_LEVEL + 1; level++) {
                int l = level;
                levelStart[level] = (int) archivedNow.stream().filter(r -> r.level() < l).count();
            }

            // The payload the new files will hold, from counts alone: archived runs are present in the base
            // (deduplicated), restored ones absent. Each pass builds its own index from the same lists, on its
            // own thread; the sum is checked against what they wrote.
            long totalBytes = 0;
            for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                int l = level;
                long entries = files.get(level).index().presentEntries()
                        - archivedNow.subList(levelStart[level], levelStart[level + 1]).stream()
                        .mapToLong(ArchivedRun::count).sum()
                        + restored.stream().filter(r -> r.level() == l).mapToLong(ArchivedRun::count).sum();
                totalBytes += entries * files.get(level).header().entryBytes();
            }
            int records = carried.size() + archivedNow.size();
            Path archivePath = outDir.resolve(ArchiveFile.FILE_NAME);
            ArchiveFile.Shape shape = new ArchiveFile.Shape(base.metadata().embeddingDim(),
                    files.get(1).header().dtype(), base.metadata().modelName());
            List<ArchivedRun> archiveRuns = new ArrayList<>(records);
            carried.forEach(i -> archiveRuns.add(baseRuns.get(i)));
            archiveRuns.addAll(archivedNow);
            SharedProgress shared = new SharedProgress(progress, totalBytes);
            List<LevelPass> passes = new ArrayList<>();
            List<ArchivedRun> archivedWritten = List.of();
            try (ArchiveWriter archive = records == 0 ? null : new ArchiveWriter(archivePath, shape, archiveRuns)) {
                if (archive != null) {
                    archive.carry(baseArchive, carried.stream().mapToInt(Integer::intValue).toArray(), 0);
                }
                for (int level = 0; level <= CtxHeader.MAX_LEVEL; level++) {
                    passes.add(new LevelPass(level, files.get(level), outDir.resolve(BundleMetadata.fileName(level)),
                            archivedNow.subList(levelStart[level], levelStart[level + 1]), restored, restoredRecords,
                            baseArchive, archive == null ? null : archive.region(carried.size() + levelStart[level]),
                            shared));
                }
                runConcurrently(passes);
                if (archive != null) {
                    archivedWritten = archive.written().subList(carried.size(), records);
                }
            }
            Map<String, BundleMetadata.Level> levels = new LinkedHashMap<>();
            List<String> checksums = new ArrayList<>();
            long copied = 0;
            long restoredBytes = 0;
            for (LevelPass pass : passes) {
                checksums.add(pass.sha256);
                levels.put(BundleMetadata.levelName(pass.level), levelEntry(pass.level, pass.size, pass.index));
                copied += pass.copied;
                restoredBytes += pass.restored;
            }
            if (totalBytes != copied + restoredBytes) {
                throw new IllegalStateException("wrote " + (copied + restoredBytes) + " payload bytes, expected "
                        + totalBytes);
            }
            // The archive's SHA-256 is computed on a second thread while this one checks the output's structure.
            Future<String> archiveSha256 = records == 0 ? null
                    : Background.start("rebuild-archive-sha256", () -> BundleFiles.sha256(archivePath));
            BundleMetadata.Curation curation = new BundleMetadata.Curation(request.baseVersion(),
                    request.planId().toString(), records, records > 0 ? Files.size(archivePath) : 0, null);
            BundleFiles.Verified structure = BundleFiles.verifyStructure(outDir,
                    metadata(base.metadata(), levels, request, curation));
            String archiveSha = Background.await(archiveSha256, "hashing the archive");
            BundleMetadata metadata = metadata(base.metadata(), levels, request, new BundleMetadata.Curation(
                    curation.baseVersion(), curation.planId(), curation.archiveRuns(), curation.archiveSizeBytes(),
                    archiveSha));
            metadata.write(outDir);
            return new RebuildResult(BundleFiles.withChecksums(
                    new BundleFiles.Verified(metadata, structure.levels(), archiveSha), checksums),
                    archivedWritten, List.copyOf(restored), List.copyOf(dropped), copied, restoredBytes);
        } finally {
            for (CtxFile file : files) {
                file.close();
            }
            if (baseArchive != null) {
                baseArchive.close();
            }
        }
    }

    /**
     * One level's pass, front to back: copies present runs, archives removed ones into its own region of
     * the archive, writes restored ones back. Levels share nothing but the archive file (each its own
     * records, at fixed offsets) and the progress, so they run at once: the checksums of LOD0 and LOD1,
     * the bulk of the work, are computed on two cores instead of one.
     */
    private static final class LevelPass implements Callable<Void> {
        private final int level;
        private final CtxFile source;
        private final Path target;
        private final List<ArchivedRun> archivedHere;
        private final List<ArchivedRun> restoredRuns;
        private final List<Integer> restoredRecords;
        private final ArchiveFile baseArchive;
        private final ArchiveWriter.Region region;
        private final SharedProgress progress;
        private long copied;
        private long restored;
        private long size;
        private String sha256;

        private BlockIndex index;

        /** {@code archivedHere}: this level's runs archived now, in entry order. */
        LevelPass(int level, CtxFile source, Path target, List<ArchivedRun> archivedHere, List<ArchivedRun> restored,
                  List<Integer> restoredRecords, ArchiveFile baseArchive, ArchiveWriter.Region region,
                  SharedProgress progress) {
            this.level = level;
            this.source = source;
            this.target = target;
            this.archivedHere = archivedHere;
            this.restoredRuns = restored;
            this.restoredRecords = restoredRecords;
            this.baseArchive = baseArchive;
            this.region = region;
            this.progress = progress;
        }

        @Override
        public Void call() throws IOException {
            // This level's new index and what to copy: prepared here, so the levels prepare theirs side by side.
            List<Integer> restoredHere = new ArrayList<>(); // positions in restoredRuns, in entry order
            for (int i = 0; i < restoredRuns.size(); i++) {
                if (restoredRuns.get(i).level() == level) {
                    restoredHere.add(i);
                }
            }
            restoredHere.sort(Comparator.comparingLong(i -> restoredRuns.get(i).first()));
            List<BlockIndex.Run> restoredHereRuns = restoredHere.stream().map(i -> restoredRuns.get(i).run()).toList();
            index = source.index().without(archivedHere.stream().map(ArchivedRun::run).toList()).with(restoredHereRuns);
            List<BlockIndex.Run> copies = copies(source.index(), index, level, restoredHereRuns);
            int entryBytes = source.header().entryBytes();
            PayloadReader reader = source.sequentialReader();
            LevelWriter writer = new LevelWriter(target, source.header(), index);
            try {
                // In entry order: the three lists are each sorted and never overlap.
                int c = 0;
                int a = 0;
                int r = 0;
                while (c < copies.size() || a < archivedHere.size() || r < restoredHere.size()) {
                    long copyAt = c < copies.size() ? copies.get(c).first() : Long.MAX_VALUE;
                    long archiveAt = a < archivedHere.size() ? archivedHere.get(a).first() : Long.MAX_VALUE;
                    long restoreAt = r < restoredHere.size() ? restoredHereRuns.get(r).first() : Long.MAX_VALUE;
                    if (copyAt < archiveAt && copyAt < restoreAt) {
                        BlockIndex.Run run = copies.get(c++);
                        long bytes = run.count() * entryBytes;
                        reader.stream(run.first(), run.count(), writer::writeStable);
                        copied += bytes;
                        progress.add(bytes);
                    } else if (archiveAt < restoreAt) {
                        ArchivedRun run = archivedHere.get(a++);
                        region.append(reader.slice(run.first(), run.count()));
                    } else {
                        long bytes = restoredHereRuns.get(r).count() * entryBytes;
                        writer.writeStable(baseArchive.read(restoredRecords.get(restoredHere.get(r++)))); // checked
                        restored += bytes;
                        progress.add(bytes);
                    }
                }
                writer.finish();
                if (region != null) {
                    region.close();
                }
            } finally {
                writer.close();
                if (region != null) {
                    region.abandon(); // closed above, unless this pass failed
                }
            }
            sha256 = writer.sha256(); // computed while writing: nothing is read back
            size = Files.size(target);
            return null;
        }
    }

    private static BundleMetadata metadata(BundleMetadata old, Map<String, BundleMetadata.Level> levels,
                                           RebuildRequest request, BundleMetadata.Curation curation) {
        return new BundleMetadata(old.version(), old.createdAt(), old.modelName(), old.embeddingDim(),
                old.blockSize(), levels, old.gistnetCheckpoint(), old.ingestionComplete(), request.now().toString(),
                curation);
    }

    /** Runs the level passes on up to two threads; the first failure is thrown once all have stopped. */
    private static void runConcurrently(List<LevelPass> passes) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(2, Runtime.getRuntime().availableProcessors()),
                Background.daemons("rebuild-level"));
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (LevelPass pass : passes) {
                futures.add(pool.submit(pass));
            }
            Throwable failure = null;
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                    futures.forEach(f -> f.cancel(true));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    throw new InterruptedIOException("interrupted while rebuilding");
                }
            }
            if (failure != null) {
                throw Background.rethrow(failure);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Progress summed over the level passes; the caller's {@link Progress} is called from one thread at a time. */
    private static final class SharedProgress {
        private final Progress progress;
        private final long total;
        private final AtomicLong done = new AtomicLong();

        SharedProgress(Progress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        void add(long bytes) {
            long now = done.addAndGet(bytes);
            synchronized (this) {
                progress.update(now, total);
            }
        }
    }

    /** What leaves now: only entries the base still holds (a span compacted before stays compacted). */
    private static List<ArchivedRun> archivedNow(RebuildRequest request, List<CtxFile> files) {
        List<ArchivedRun> runs = new ArrayList<>();
        for (Removal removal : request.removals()) {
            BlockIndex present = files.get(removal.level()).index();
            Instant deleteAfter = removal.action() == ArchivedRun.Action.DELETE ? request.deleteAfter() : null;
            if (removal.count() > 0 && present.isPresent(removal.first(), removal.count())) { // usually: all, one run
                runs.add(new ArchivedRun(removal.level(), removal.action(), removal.spanId(), removal.first(),
                        removal.count(), deleteAfter, request.planId(), null));
                continue;
            }
            for (BlockIndex.Run run : present.presentRuns(removal.first(), removal.count())) {
                runs.add(new ArchivedRun(removal.level(), removal.action(), removal.spanId(), run.first(), run.count(),
                        deleteAfter, request.planId(), null));
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
     * What a level's pass copies from the base: the new index without the runs that come back from the
     * archive, each of which the base must hold.
     */
    private static List<BlockIndex.Run> copies(BlockIndex baseIndex, BlockIndex target, int level,
                                               List<BlockIndex.Run> restored) {
        List<BlockIndex.Run> runs = target.without(restored).runs();
        for (BlockIndex.Run run : runs) {
            if (!baseIndex.isPresent(run.first(), run.count())) {
                throw new IllegalStateException("L" + level + " run " + run + " is neither in the base nor restored");
            }
        }
        return runs;
    }

    private static BundleMetadata.Level levelEntry(int level, long size, BlockIndex index) {
        long entries = index.numEntries();
        Long present = index.isDense() ? null : index.presentEntries();
        return level == 0
                ? new BundleMetadata.Level(entries / CtxHeader.BLOCK_SIZE, entries, null, size, present)
                : new BundleMetadata.Level(null, null, entries, size, present);
    }
}
