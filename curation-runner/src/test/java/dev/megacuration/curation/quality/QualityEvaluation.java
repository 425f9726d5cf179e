package dev.megacuration.curation.quality;

import dev.megacuration.curation.planning.Action;
import dev.megacuration.curation.planning.CellStatus;
import dev.megacuration.curation.planning.CurationPlan;
import dev.megacuration.curation.planning.PlanBuilder;
import dev.megacuration.curation.planning.PlanRemovals;
import dev.megacuration.curation.planning.PlannedSpan;
import dev.megacuration.curation.planning.Planner;
import dev.megacuration.curation.planning.ReleaseShape;
import dev.megacuration.curation.planning.SpanTags;
import dev.megacuration.curation.planning.UsageAccumulator;
import dev.megacuration.curation.policy.Policy;
import dev.megacuration.curation.policy.PolicyLoader;
import dev.megacuration.curation.service.CurationService;
import dev.megacuration.format.BlockIndex;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.CtxFile;
import dev.megacuration.format.DemoBundleGenerator;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.rebuild.Progress;
import dev.megacuration.format.rebuild.RebuildRequest;
import dev.megacuration.format.rebuild.Removal;
import dev.megacuration.format.rebuild.ReleaseRebuild;
import dev.megacuration.format.store.DirectoryReleaseStore;
import dev.megacuration.privacy.threshold.PieceGrid;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The quality evaluation (curation-runner/README.md): a decade of synthetic usage of a growing bundle,
 * curated every few weeks by the same planner, policy and threshold classes as the runner (the usage
 * becomes per-day, per-deployment entries, and published cells come from the privacy library's piece grid,
 * as the analytics feed's do). Each curation's plan is then replayed on real release files with the real
 * rebuild, and every restore is compared byte for byte with the original release.
 * Arguments: profiles (default,bursty,sparse), output directory for the replay.
 */
public final class QualityEvaluation {
    private static final int K32 = 32;
    private static final LocalDate START = LocalDate.of(2016, 1, 4);

    private final UsageModel model;
    private final Policy policy;
    private final SplittableRandom random;
    // Per LOD1 span: usage state.
    private final int maxSpans;
    private final double[] rate;
    private final int[] hotUntil;
    private final int[] bornWeek;
    private final int[] audience;
    private final int[] audienceOffset;
    private final int[] staleWeek;
    private final boolean[] warm;
    private final int[][] recentWeeks; // expands in each of the last 4 weeks (ring)
    /** Per week (ring of the window): entries as {span, day, deployment, count, kind(0 expand, 1 stale)}. */
    private final List<List<long[]>> weekEntries = new ArrayList<>();
    private final Set<Long> protectedPartitions = new HashSet<>();

    // Results.
    private long weeklyUsed;
    private long weeklyUsedKept;
    private long protectedPruned;
    /** At the last curation, LOD0 bytes no policy may prune (protected, too young, expanded every week)... */
    private long floorBytes;
    /** ... and those plus every span expanded at all in the last four weeks, by however few deployments. */
    private long recentlyUsedBytes;
    private final List<Step> steps = new ArrayList<>();
    private Map<String, Long> lastReasons = Map.of();

    /** One curation, to replay on real files. */
    private record Step(UUID planId, List<Removal> removals, List<Long> restores, Instant now) {
    }

    private QualityEvaluation(UsageModel model, Policy policy, long seed) {
        this.model = model;
        this.policy = policy;
        this.random = new SplittableRandom(seed);
        this.maxSpans = (model.initialPartitions() + model.partitionsPerWeek() * model.weeks()) * K32;
        this.rate = new double[maxSpans];
        this.hotUntil = new int[maxSpans];
        this.bornWeek = new int[maxSpans];
        this.audience = new int[maxSpans];
        this.audienceOffset = new int[maxSpans];
        this.staleWeek = new int[maxSpans];
        this.warm = new boolean[maxSpans];
        this.recentWeeks = new int[4][maxSpans];
    }

    public static void main(String[] args) throws Exception {
        String[] profiles = (args.length > 0 ? args[0] : "default,bursty,sparse").split(",");
        Path work = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"), "megacuration-quality");
        Policy policy = PolicyLoader.defaults();
        System.out.printf("policy: the default (half-life %.0f d, window %d d, min age %d d, utility %.2f/week,"
                        + " stale -> %s, min_bytes_saved %d); curation every %d weeks%n", policy.halfLifeDays(),
                policy.windowDays(), policy.minAgeDays(), policy.utility().defaultThreshold(),
                policy.stale().action().name().toLowerCase(), policy.partition().minBytesSaved(),
                UsageModel.standard().curateEveryWeeks());
        for (String profile : profiles) {
            UsageModel model = switch (profile) {
                case "default" -> UsageModel.standard();
                case "bursty" -> UsageModel.bursty();
                case "sparse" -> UsageModel.sparse();
                default -> throw new IllegalArgumentException("profile: default, bursty or sparse");
            };
            long started = System.nanoTime();
            QualityEvaluation evaluation = new QualityEvaluation(model, policy, 42);
            ReleaseShape end = evaluation.simulate();
            String replay = evaluation.replay(end, work.resolve(profile));
            evaluation.report(end, replay, (System.nanoTime() - started) / 1_000_000_000.0);
        }
    }

    private int partitions(int week) {
        return model.initialPartitions() + model.partitionsPerWeek() * week;
    }

    private ReleaseShape simulate() {
        int window = (policy.windowDays() + 6) / 7 + 1;
        for (int w = 0; w < window; w++) {
            weekEntries.add(new ArrayList<>());
        }
        BlockIndex[] present = {BlockIndex.dense(0), BlockIndex.dense(0), BlockIndex.dense(0)};
        int born = 0;
        for (int week = 0; week < model.weeks(); week++) {
            int spans = partitions(week) * K32;
            for (int i = born; i < spans; i++) {
                birth(i, week);
            }
            born = spans;
            present = grow(present, spans);
            List<long[]> entries = weekEntries.get(week % window);
            entries.clear();
            for (int[] ring : new int[][] {recentWeeks[week % 4]}) {
                java.util.Arrays.fill(ring, 0);
            }
            for (int i = 0; i < spans; i++) {
                use(i, week, entries);
            }
            if (week >= 8 && week % model.curateEveryWeeks() == 0) {
                present = curate(week, present, spans);
            }
        }
        return new ReleaseShape("end", 32, present);
    }

    private void birth(int i, int week) {
        bornWeek[i] = week;
        double u = random.nextDouble();
        staleWeek[i] = random.nextDouble() < model.staleShare() ? week + 4 + random.nextInt(200) : -1;
        audience[i] = model.audienceMin() + random.nextInt(model.audienceMax() - model.audienceMin() + 1);
        audienceOffset[i] = random.nextInt(model.deployments());
        if (u < model.hotShare()) {
            makeHot(i, week);
        } else if (u < model.hotShare() + model.warmShare()) {
            warm[i] = true;
            rate[i] = model.warmRate();
        }
        long partition = i / K32;
        if (i % K32 == 0 && random.nextDouble() < model.protectedShare()) {
            protectedPartitions.add(partition);
        }
    }

    private void makeHot(int i, int week) {
        rate[i] = model.hotRate() * Math.exp(random.nextGaussian() * 0.5 - 0.125);
        hotUntil[i] = week + 1 + (int) (-model.hotLifetimeWeeks() * Math.log(1 - random.nextDouble()));
        warm[i] = false;
    }

    /** One week of a span's usage: Poisson expands from its audience, per day; stale reports once outdated. */
    private void use(int i, int week, List<long[]> entries) {
        if (staleWeek[i] >= 0 && week >= staleWeek[i]) {
            if (week < staleWeek[i] + 4) {
                int reporters = 1 + random.nextInt(Math.max(1, audience[i]));
                for (int r = 0; r < reporters && random.nextBoolean(); r++) {
                    entries.add(new long[] {i, random.nextInt(7), deployment(i), 1, 1});
                }
            }
            return; // outdated: nobody expands it any more
        }
        double lambda;
        if (hotUntil[i] > week) {
            lambda = rate[i];
        } else if (warm[i]) {
            lambda = model.warmRate() * Math.pow(0.5, (week - bornWeek[i]) / model.warmHalfLifeWeeks());
        } else {
            lambda = 0;
            if (random.nextDouble() < model.revivalPerWeek()) {
                makeHot(i, week);
                lambda = rate[i];
            }
        }
        int expands = poisson(lambda);
        if (expands == 0) {
            return;
        }
        recentWeeks[week % 4][i] += expands;
        boolean burst = random.nextDouble() < model.burstiness();
        int day = random.nextInt(7);
        int burstDeployment = deployment(i);
        for (int e = 0; e < expands; e++) {
            int d = burst ? (random.nextBoolean() ? burstDeployment : deployment(i)) : deployment(i);
            entries.add(new long[] {i, burst ? day : random.nextInt(7), d, 1, 0});
        }
    }

    private int deployment(int i) {
        return (audienceOffset[i] + random.nextInt(audience[i])) % model.deployments();
    }

    private int poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        double l = Math.exp(-lambda);
        double p = 1;
        int n = -1;
        do {
            n++;
            p *= random.nextDouble();
        } while (p > l && n < 1000);
        return n;
    }

    private static BlockIndex[] grow(BlockIndex[] present, int lod1Spans) {
        long[] sizes = {(long) lod1Spans * K32, lod1Spans, lod1Spans / K32};
        BlockIndex[] grown = new BlockIndex[3];
        for (int level = 0; level < 3; level++) {
            List<BlockIndex.Run> runs = new ArrayList<>(present[level].runs());
            long old = present[level].numEntries();
            runs.add(new BlockIndex.Run(old, sizes[level] - old));
            grown[level] = BlockIndex.of(sizes[level], runs);
        }
        return grown;
    }

    /** A curation at the end of {@code week}: the feed's view of usage, the planner, and its plan applied. */
    private BlockIndex[] curate(int week, BlockIndex[] present, int spans) {
        LocalDate today = START.plusDays(week * 7L + 6);
        ReleaseShape shape = new ReleaseShape("w" + week, 32, present);
        UsageAccumulator usage = new UsageAccumulator(today, policy, shape.spans(1), shape.spans(2));
        List<UsageAccumulator.Bucket> buckets = usage.buckets();
        int window = weekEntries.size();
        for (int b = 0; b < buckets.size(); b++) {
            long fromDay = buckets.get(b).from().toEpochDay() - START.toEpochDay();
            long toDay = buckets.get(b).to().toEpochDay() - START.toEpochDay();
            List<PieceGrid.Entry> expands = new ArrayList<>();
            List<PieceGrid.Entry> stale = new ArrayList<>();
            for (int w = Math.max(0, week - window + 1); w <= week; w++) {
                for (long[] e : weekEntries.get(w % window)) {
                    long day = w * 7L + e[1];
                    if (day < fromDay || day > toDay) {
                        continue;
                    }
                    Instant hour = START.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant();
                    String deployment = "d" + e[2];
                    long lod1 = SpanId.of(1, e[0]);
                    if (e[4] == 1) {
                        stale.add(new PieceGrid.Entry("v", lod1, "outdated", hour, deployment, e[3]));
                    } else {
                        expands.add(new PieceGrid.Entry("v", lod1, "", hour, deployment, e[3]));
                        // Expanding an LOD1 span went through its LOD2 parent first.
                        expands.add(new PieceGrid.Entry("v", SpanId.of(2, e[0] / K32), "", hour, deployment, e[3]));
                    }
                }
            }
            int bucket = b;
            cells(expands).forEach((span, cell) -> {
                if (usage.covers(SpanId.level(span), SpanId.index(span))) {
                    usage.expand(bucket, SpanId.level(span), SpanId.index(span),
                            cell.published() ? CellStatus.PUBLISHED : CellStatus.BELOW_THRESHOLD, cell.value());
                }
            });
            cells(stale).forEach((span, cell) -> usage.stale(1, SpanId.index(span),
                    cell.published() ? CellStatus.PUBLISHED : CellStatus.BELOW_THRESHOLD, cell.value()));
        }
        SpanTags tags = new SpanTags();
        protectedPartitions.forEach(p -> tags.add(SpanId.of(2, p), "protected", true));
        int matureWeek = Math.max(0, week - (policy.minAgeDays() + 6) / 7);
        Planner.Input input = new Planner.Input(shape, usage.table(), tags, (long) partitions(matureWeek) * 1024);
        CurationPlan plan = PlanBuilder.build(policy, new PlanBuilder.Scope("sim", model.name(), null, null), input,
                today.atStartOfDay(ZoneOffset.UTC).toInstant());
        lastReasons = plan.totals().byReason();
        List<Removal> removals = PlanRemovals.of(plan.changes(), false);
        List<Long> restores = plan.changes().stream().filter(c -> c.action() == Action.RESTORE)
                .map(PlannedSpan::spanId).toList();
        BlockIndex[] next = present.clone();
        for (Removal r : removals) {
            next[r.level()] = next[r.level()].without(List.of(new BlockIndex.Run(r.first(), r.count())));
        }
        for (long span : restores) {
            long i = SpanId.index(span);
            next[0] = next[0].with(List.of(new BlockIndex.Run(i * K32, K32)));
            next[1] = next[1].with(List.of(new BlockIndex.Run(i, 1)));
            if (i / K32 < next[2].numEntries()) {
                next[2] = next[2].with(List.of(new BlockIndex.Run(i / K32, 1)));
            }
        }
        steps.add(new Step(plan.planId(), removals, restores, today.atStartOfDay(ZoneOffset.UTC).toInstant()));
        // What the PRD asks: spans expanded at least once in each of the last four weeks stay whole.
        long floor = 0;
        long recent = 0;
        for (int i = 0; i < spans; i++) {
            boolean weekly = recentWeeks[0][i] > 0 && recentWeeks[1][i] > 0 && recentWeeks[2][i] > 0
                    && recentWeeks[3][i] > 0;
            boolean mustKeep = weekly || protectedPartitions.contains((long) i / K32)
                    || (long) (i + 1) * K32 > input.matureTokens();
            floor += mustKeep ? K32 * 4L : 0;
            boolean used = recentWeeks[0][i] + recentWeeks[1][i] + recentWeeks[2][i] + recentWeeks[3][i] > 0;
            recent += mustKeep || used ? K32 * 4L : 0;
            if (weekly) {
                weeklyUsed++;
                if (next[0].isPresent((long) i * K32, K32)) {
                    weeklyUsedKept++;
                }
            }
        }
        floorBytes = floor;
        recentlyUsedBytes = recent;
        for (long partition : protectedPartitions) {
            if (partition < next[2].numEntries() && (!next[0].isPresent(partition * 1024, 1024)
                    || !next[1].isPresent(partition * K32, K32) || !next[2].isPresent(partition))) {
                protectedPruned++;
            }
        }
        return next;
    }

    private Map<Long, PieceGrid.Cell> cells(List<PieceGrid.Entry> entries) {
        return PieceGrid.cells(entries, model.k(), model.k(), e -> true, p -> true, PieceGrid.Piece::spanId,
                PieceGrid.Entry::spanId);
    }

    /**
     * Replays every plan on real files: a release of the final length, rebuilt once per curation with the real
     * rebuild (removed runs archived, restored runs put back), each restore compared with the original bytes.
     */
    private String replay(ReleaseShape end, Path dir) throws Exception {
        DirectoryReleaseStore.deleteTree(dir);
        Path base = dir.resolve("r0");
        BundleFiles.Verified original = new DemoBundleGenerator(end.tokens(), 16, "sim", 1).writeTo(base);
        Path current = base;
        long restores = 0;
        long identical = 0;
        int n = 0;
        try (CtxFile lod0 = CtxFile.open(base.resolve("LOD0.ctx"), 0);
             CtxFile lod1 = CtxFile.open(base.resolve("LOD1.ctx"), 1)) {
            for (Step step : steps) {
                Set<Long> records = step.restores().isEmpty() ? Set.of()
                        : CurationService.restoreRecords(current, step.restores());
                Path next = dir.resolve("r" + (++n));
                ReleaseRebuild.rebuild(current, next, new RebuildRequest(step.planId(), "r" + (n - 1), step.removals(),
                        records, step.now(), step.now().plus(Duration.ofDays(policy.retentionDays()))), Progress.NONE);
                try (CtxFile after0 = CtxFile.open(next.resolve("LOD0.ctx"), 0);
                     CtxFile after1 = CtxFile.open(next.resolve("LOD1.ctx"), 1)) {
                    for (long span : step.restores()) {
                        long i = SpanId.index(span);
                        restores++;
                        if (same(lod0.entries(i * K32, K32), after0.entries(i * K32, K32))
                                && same(lod1.entries(i, 1), after1.entries(i, 1))) {
                            identical++;
                        }
                    }
                }
                if (current != base) {
                    DirectoryReleaseStore.deleteTree(current);
                }
                current = next;
            }
            BundleFiles.Verified last = BundleFiles.verify(current);
            long archive = Files.exists(current.resolve("archive.mcar")) ? Files.size(current.resolve("archive.mcar")) : 0;
            String result = String.format("replayed %d rebuilds on real files (%,d tokens): last release verifies, "
                            + "LOD0 file %,d of %,d bytes, archive %,d bytes; restores byte-identical: %d of %d",
                    n, end.tokens(), last.levels().get(0).sizeBytes(), original.levels().get(0).sizeBytes(), archive,
                    identical, restores);
            DirectoryReleaseStore.deleteTree(dir);
            return result;
        }
    }

    private static boolean same(ByteBuffer a, ByteBuffer b) {
        return a.equals(b);
    }

    private void report(ReleaseShape end, String replay, double seconds) {
        long naive = end.tokens() * 4;
        long live = end.present()[0].presentEntries() * 4;
        System.out.printf("%n[%s] %s%n", model.name(), model);
        System.out.printf("  weekly-expanded spans kept whole: %d of %d = %.3f%% (goal >= 99.5%%, PRD 99%%)%n",
                weeklyUsedKept, weeklyUsed, 100.0 * weeklyUsedKept / Math.max(1, weeklyUsed));
        System.out.printf("  LOD0 live %,d bytes vs naive retention %,d bytes: %.1fx smaller (goal >= 20x, PRD 10x)%n",
                live, naive, (double) naive / Math.max(1, live));
        System.out.printf("  what bounds it: LOD0 no policy may prune (protected, younger than min age, expanded every"
                        + " week) %,d bytes = at most %.1fx; with every span expanded at all in the last four weeks %,d"
                        + " bytes = %.1fx%n", floorBytes, (double) naive / Math.max(1, floorBytes), recentlyUsedBytes,
                (double) naive / Math.max(1, recentlyUsedBytes));
        System.out.printf("  protected spans pruned: %d (must be 0); %d protected partitions%n", protectedPruned,
                protectedPartitions.size());
        System.out.printf("  the last plan's decisions by reason (LOD1 and LOD2 spans): %s%n", lastReasons);
        System.out.printf("  %s%n", replay);
        System.out.printf("  %d curations over %d weeks in %.0f s%n", steps.size(), model.weeks(), seconds);
    }
}
