package dev.megacuration.curation.bench;

import dev.megacuration.curation.planning.CellStatus;
import dev.megacuration.curation.planning.CurationPlan;
import dev.megacuration.curation.planning.PlanBuilder;
import dev.megacuration.curation.planning.PlanRemovals;
import dev.megacuration.curation.planning.Planner;
import dev.megacuration.curation.planning.ReleaseShape;
import dev.megacuration.curation.planning.SpanTags;
import dev.megacuration.curation.planning.UsageTable;
import dev.megacuration.curation.policy.Policy;
import dev.megacuration.curation.policy.PolicyLoader;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.rebuild.Progress;
import dev.megacuration.format.rebuild.RebuildRequest;
import dev.megacuration.format.rebuild.RebuildResult;
import dev.megacuration.format.rebuild.ReleaseRebuild;
import dev.megacuration.format.store.DirectoryReleaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The curation runner's speed targets, measured (curation-runner/README.md, deploy/local/bench-curation):
 * <ol>
 *   <li>planning a 1M-span bundle (1,048,576 LOD1 spans, 32,768 LOD2) with the default policy, usage for
 *       every span and a few thousand tags: target 5 s or less;</li>
 *   <li>apply (the rebuild: unchanged runs copied, removed ones archived with checksums, output verified)
 *       against {@code cp -r} of the same release on the same disk, in the same run: target 50% or more of
 *       cp's throughput, in bytes of release per second.</li>
 * </ol>
 * Arguments: lod1Spans (default 1048576), applyTokens (default 33554432), iterations (default 5; measured
 * after {@link #WARMUPS} warm-up rounds), workDir.
 */
public final class CurationBenchmark {
    /**
     * Rounds of cp and rebuild run before the measured ones: the JIT is still compiling the rebuild's code
     * (and SHA-256 is not yet the compiled intrinsic) during the first few, on the same two cores.
     */
    private static final int WARMUPS = 3;

    private CurationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lod1 = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        long applyTokens = args.length > 1 ? Long.parseLong(args[1]) : 1L << 25;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path work = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"), "megacuration-bench");
        DirectoryReleaseStore.deleteTree(work);
        Files.createDirectories(work);
        try {
            plan(lod1, iterations);
            apply(applyTokens, iterations, work);
        } finally {
            DirectoryReleaseStore.deleteTree(work);
        }
    }

    private static void plan(int lod1, int iterations) {
        Policy policy = PolicyLoader.defaults();
        long tokens = (long) lod1 * 32;
        ReleaseShape shape = ReleaseShape.dense("1.0.0", tokens, 128);
        SplittableRandom random = new SplittableRandom(7);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        for (int level = 1; level <= 2; level++) {
            for (long i = 0; i < shape.spans(level); i++) {
                double u = random.nextDouble();
                if (u < 0.2) {
                    usage.expand(level, i, CellStatus.PUBLISHED, Math.pow(10, random.nextDouble(-2, 2)));
                } else if (u < 0.3) {
                    usage.expand(level, i, CellStatus.BELOW_THRESHOLD, 0);
                }
                if (random.nextDouble() < 0.02) {
                    usage.stale(level, i, CellStatus.PUBLISHED, 1 + random.nextInt(20));
                }
            }
        }
        SpanTags tags = new SpanTags();
        for (int t = 0; t < 5000; t++) {
            int level = 1 + random.nextInt(2);
            tags.add(SpanId.of(level, random.nextLong(shape.spans(level))),
                    random.nextBoolean() ? "protected" : "reference", random.nextInt(4) == 0);
        }
        Planner.Input input = new Planner.Input(shape, usage, tags, tokens - 32 * 1024);
        long[] nanos = new long[iterations];
        CurationPlan plan = null;
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            plan = PlanBuilder.build(policy, new PlanBuilder.Scope("bench", "bench", null, null), input, Instant.now());
            nanos[i] = System.nanoTime() - start;
        }
        System.out.printf("plan: %,d LOD1 + %,d LOD2 spans, %,d changes (%s); ms per plan: %s; median %.0f ms"
                        + " (target <= 5000 ms)%n", shape.spans(1), shape.spans(2), plan.changes().size(),
                plan.totals().byAction().keySet(), Arrays.toString(ms(nanos)), median(nanos) / 1e6);
    }

    private static void apply(long tokens, int iterations, Path work) throws Exception {
        Path base = work.resolve("base");
        BundleFiles.Verified release = new DemoBundleGenerator(tokens, 64, "bench", 3).writeTo(base);
        long releaseBytes = release.levels().stream().mapToLong(BundleFiles.LevelFile::sizeBytes).sum();
        // A plan compacting about a tenth of the LOD1 spans and archiving a few percent: typical churn.
        ReleaseShape shape = ReleaseShape.of("1.0.0", release);
        UsageTable usage = new UsageTable(shape.spans(1), shape.spans(2));
        SplittableRandom random = new SplittableRandom(11);
        for (long j = 0; j < shape.spans(2); j++) {
            usage.expand(2, j, CellStatus.PUBLISHED, 5);
        }
        for (long i = 0; i < shape.spans(1); i++) {
            double u = random.nextDouble();
            if (u < 0.88) {
                usage.expand(1, i, CellStatus.PUBLISHED, 2);
            } else if (u < 0.97) {
                usage.expand(1, i, CellStatus.PUBLISHED, 0.01);
            } else {
                usage.stale(1, i, CellStatus.PUBLISHED, 3);
            }
        }
        Policy policy = PolicyLoader.defaults();
        CurationPlan plan = PlanBuilder.build(policy, new PlanBuilder.Scope("bench", "bench", null, null),
                new Planner.Input(shape, usage, new SpanTags(), tokens), Instant.now());
        long[] cp = new long[iterations];
        long[] rebuild = new long[iterations];
        long[] rebuildSync = new long[iterations];
        long[] rebuildCpu = new long[iterations];
        long[] cpSync = new long[iterations];
        long[] warmups = new long[WARMUPS];
        long outputBytes = 0;
        long copied = 0;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < WARMUPS + iterations; round++) {
            int i = round - WARMUPS; // < 0: a warm-up round, timed apart
            Path copy = work.resolve("cp-" + round);
            long start = System.nanoTime();
            Process process = new ProcessBuilder("cp", "-r", base.toString(), copy.toString()).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("cp failed");
            }
            long cpDone = System.nanoTime();
            new ProcessBuilder("sync", "-f", copy.resolve("LOD0.ctx").toString()).start().waitFor();
            if (i >= 0) {
                cp[i] = System.nanoTime() - start;
                cpSync[i] = System.nanoTime() - cpDone;
            }
            DirectoryReleaseStore.deleteTree(copy);
            settle();

            Path out = work.resolve("rebuild-" + round);
            long cpuStart = os.getProcessCpuTime();
            start = System.nanoTime();
            Instant now = Instant.now();
            RebuildResult result = ReleaseRebuild.rebuild(base, out, new RebuildRequest(UUID.randomUUID(), "1.0.0",
                    PlanRemovals.of(plan.changes(), false), Set.of(), now, now.plus(Duration.ofDays(30))), Progress.NONE);
            // To the disk, as cp's copy: the store forces a release's files before it publishes it.
            long built = System.nanoTime();
            new ProcessBuilder("sync", "-f", out.resolve("LOD0.ctx").toString()).start().waitFor();
            if (i < 0) {
                warmups[round] = System.nanoTime() - start;
            } else {
                rebuild[i] = System.nanoTime() - start;
                rebuildSync[i] = System.nanoTime() - built;
                rebuildCpu[i] = os.getProcessCpuTime() - cpuStart;
            }
            outputBytes = result.liveBytes() + Files.size(out.resolve("archive.mcar"));
            copied = result.bytesCopied();
            DirectoryReleaseStore.deleteTree(out);
            settle();
        }
        double cpRate = releaseBytes / (median(cp) / 1e9);
        double applyRate = releaseBytes / (median(rebuild) / 1e9);
        System.out.printf("apply: release of %,d tokens, %,d bytes; plan changes %,d spans (%s)%n", tokens, releaseBytes,
                plan.changes().size(), plan.totals().byAction().keySet());
        System.out.printf("apply: output %,d bytes (live + archive), %,d payload bytes copied unchanged%n", outputBytes,
                copied);
        System.out.printf("cp -r (with sync): ms %s, median %.0f ms = %.0f MB/s; of which sync: median %.0f ms%n",
                Arrays.toString(ms(cp)), median(cp) / 1e6, cpRate / 1e6, median(cpSync) / 1e6);
        System.out.printf("rebuild (check base, copy, archive, checksum and verify output, sync): ms %s, median %.0f ms = %.0f MB/s"
                + " of release -> %.0f%% of cp (target >= 50%%)%n", Arrays.toString(ms(rebuild)), median(rebuild) / 1e6,
                applyRate / 1e6, 100 * applyRate / cpRate);
        System.out.printf("rebuild: of which sync: median %.0f ms; CPU time of this JVM (all threads, user + system)"
                + " per rebuild: median %.0f ms%n", median(rebuildSync) / 1e6, median(rebuildCpu) / 1e6);
        System.out.printf("rebuild: the %d warm-up rounds before (not counted; the first is a cold JVM, as a one-off"
                + " `apply` is): ms %s%n", WARMUPS, Arrays.toString(ms(warmups)));
    }

    /** Deletions flushed (and discarded, on a disk mounted with discard) outside the timings. */
    private static void settle() throws Exception {
        new ProcessBuilder("sync").start().waitFor();
        Thread.sleep(500);
    }

    private static long[] ms(long[] nanos) {
        return Arrays.stream(nanos).map(n -> n / 1_000_000).toArray();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
