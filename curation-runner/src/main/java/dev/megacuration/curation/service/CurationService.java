package dev.megacuration.curation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.curation.client.PortalClient;
import dev.megacuration.curation.client.ReleaseUpload;
import dev.megacuration.curation.planning.Action;
import dev.megacuration.curation.planning.CurationPlan;
import dev.megacuration.curation.planning.PlanBuilder;
import dev.megacuration.curation.planning.PlanRemovals;
import dev.megacuration.curation.planning.PlannedSpan;
import dev.megacuration.curation.planning.Planner;
import dev.megacuration.curation.planning.ReleaseShape;
import dev.megacuration.curation.planning.SpanTags;
import dev.megacuration.curation.planning.UsageAccumulator;
import dev.megacuration.curation.planning.UsageTable;
import dev.megacuration.curation.policy.Policy;
import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.rebuild.Progress;
import dev.megacuration.format.rebuild.RebuildRequest;
import dev.megacuration.format.rebuild.RebuildResult;
import dev.megacuration.format.rebuild.ReleaseRebuild;
import dev.megacuration.format.store.DirectoryReleaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What the command line does: plan from the analytics feed and the portal's tags, submit plans for review,
 * apply approved ones into a new release, restore archived spans, and roll back. Stats come only from the
 * analytics API and releases only through the portal, with the runner's service account.
 */
@ApplicationScoped
public class CurationService {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CurationService.class);
    private final ReleaseFiles releases;
    private final UsageCollector usage;
    private final PortalClient portal;
    private final CurationMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public CurationService(ReleaseFiles releases, UsageCollector usage, @RestClient PortalClient portal,
                           CurationMetrics metrics, ObjectMapper json) {
        this.releases = releases;
        this.usage = usage;
        this.portal = portal;
        this.metrics = metrics;
        this.json = json;
    }

    /** A plan and what it was made from, so any span (kept ones too) can be explained. */
    public record Planned(CurationPlan plan, Planner.Input input, Policy policy) {
        public Optional<PlannedSpan> explain(long spanId) {
            int level = SpanId.level(spanId);
            long index = SpanId.index(spanId);
            if (level < 1 || level > 2 || index >= input.shape().spans(level)) {
                return Optional.empty();
            }
            List<PlannedSpan> found = new ArrayList<>();
            new Planner(policy).plan(input, span -> {
                if (span.spanId() == spanId) {
                    found.add(span);
                }
            });
            return found.stream().findFirst();
        }
    }

    /** What an apply, restore or rollback did. */
    public record Outcome(String version, String baseVersion, long bytesBefore, long bytesAfter, int archivedRuns,
                          int restoredRuns, int droppedRuns, long bytesCopied, long bytesWritten, boolean deletesArchived) {
    }

    public Planned plan(String tenant, String bundle, String version, Policy policy) throws IOException {
        long started = System.nanoTime();
        JsonNode view = version == null ? releases.current(tenant, bundle) : releases.view(tenant, bundle, version);
        String base = view.path("version").asText();
        // local() compared every file with the registry's checksums when it arrived: no second hashing here.
        BundleFiles.Verified files = BundleFiles.verifyStructure(releases.local(tenant, bundle, view));
        ReleaseShape shape = ReleaseShape.of(base, files);
        SpanTags tags = new SpanTags();
        for (JsonNode tag : portal.tags(tenant, bundle)) {
            tags.add(tag.path("spanId").asLong(), tag.path("tag").asText(), tag.path("subtree").asBoolean());
        }
        LocalDate today = LocalDate.now(clock);
        List<UsageAccumulator.Bucket> buckets = UsageAccumulator.buckets(today, policy);
        UsageTable table = usage.collect(tenant, bundle, releases.lineage(tenant, bundle, view), shape.spans(1),
                shape.spans(2), policy, today);
        Planner.Input input = new Planner.Input(shape, table, tags, matureTokens(tenant, bundle, policy));
        CurationPlan plan = PlanBuilder.build(policy, new PlanBuilder.Scope(tenant, bundle,
                buckets.get(buckets.size() - 1).from().atStartOfDay(ZoneOffset.UTC).toInstant(),
                today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()), input, clock.instant());
        metrics.planned(Duration.ofNanos(System.nanoTime() - started));
        return new Planned(plan, input, policy);
    }

    /**
     * Tokens old enough to judge: the longest release created before {@code now - min_age_days}. The
     * timeline only grows, so tokens past it arrived later and have had no fair chance to be used.
     */
    private long matureTokens(String tenant, String bundle, Policy policy) {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minusDays(policy.minAgeDays());
        long mature = 0;
        for (JsonNode release : releases.all(tenant, bundle)) {
            OffsetDateTime created = OffsetDateTime.parse(release.path("createdAt").asText());
            if (!created.isAfter(cutoff)) {
                mature = Math.max(mature, release.path("numTokens").asLong());
            }
        }
        return mature;
    }

    /** JSON of a plan or one decision; a plan is written compact (it may list hundreds of thousands of spans). */
    public String toJson(Object value) {
        try {
            return value instanceof CurationPlan ? json.writeValueAsString(value)
                    : json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is always serializable", e);
        }
    }

    /** Submits a plan for review; the portal's answer (status, and whether the policy approved it). */
    public JsonNode submit(CurationPlan plan) {
        try (var response = portal.propose(plan.tenant(), plan.bundle(), toJson(plan))) {
            return response.readEntity(JsonNode.class);
        }
    }

    /**
     * Applies an approved plan: the base release is rebuilt into a new directory (unchanged runs copied,
     * removed entries archived, restored ones put back) and uploaded as the next curated version; the
     * portal registers it and marks the plan applied in one transaction. Dying at any point leaves the
     * base release and the store as they were; running apply again finishes the job.
     *
     * @param planFile if given, must be byte-identical to the plan that was approved
     */
    public Outcome apply(String tenant, String bundle, UUID planId, Optional<Path> planFile, Progress progress)
            throws IOException {
        long started = System.nanoTime();
        JsonNode view = portal.startApply(tenant, bundle, planId.toString());
        LOG.infof("plan %s fetched in %d ms", planId, (System.nanoTime() - started) / 1_000_000);
        if (planFile.isPresent() && !sha256(Files.readAllBytes(planFile.get()))
                .equals(view.path("documentSha256").asText())) {
            throw new PlanMismatchException(planFile.get() + " is not the plan that was approved (its SHA-256 differs)");
        }
        CurationPlan plan = json.treeToValue(view.path("document"), CurationPlan.class);
        boolean deletesAllowed = view.path("deletesAllowed").asBoolean(false);
        JsonNode baseView = releases.view(tenant, bundle, plan.baseVersion());
        Path baseDir = releases.local(tenant, bundle, baseView);
        LOG.infof("base release %s on disk after %d ms", plan.baseVersion(), (System.nanoTime() - started) / 1_000_000);
        Set<Long> restores = restoreRecords(baseDir, plan.changes().stream()
                .filter(c -> c.action() == Action.RESTORE).map(PlannedSpan::spanId).toList());
        Instant now = clock.instant();
        int retention = plan.policy() == null ? 30 : plan.policy().retentionDays();
        Path out = releases.newWorkDir();
        try {
            RebuildResult result = ReleaseRebuild.rebuild(baseDir, out, new RebuildRequest(planId, plan.baseVersion(),
                    PlanRemovals.of(plan.changes(), !deletesAllowed), restores, now,
                    now.plus(Duration.ofDays(retention))), progress);
            LOG.infof("rebuilt after %d ms", (System.nanoTime() - started) / 1_000_000);
            List<String> versions = releases.all(tenant, bundle).stream().map(r -> r.path("version").asText()).toList();
            String version = ReleaseFiles.nextVersion(plan.baseVersion(), versions);
            upload(portal, tenant, bundle, planId, version, ReleaseUpload.of(out, result.verified()));
            LOG.infof("%s published after %d ms", version, (System.nanoTime() - started) / 1_000_000);
            long before = BundleFiles.verifyStructure(baseDir).levels().stream()
                    .mapToLong(BundleFiles.LevelFile::sizeBytes).sum();
            Outcome outcome = new Outcome(version, plan.baseVersion(), before, result.liveBytes(), result.archived().size(),
                    result.restored().size(), result.dropped().size(), result.bytesCopied(), result.bytesWritten(),
                    !deletesAllowed && plan.deletes());
            metrics.applied(plan, outcome, Duration.ofNanos(System.nanoTime() - started));
            return outcome;
        } finally {
            DirectoryReleaseStore.deleteTree(out);
        }
    }

    /**
     * Uploads a rebuilt release. A 409 can mean that an earlier run of this plan, killed while its upload was
     * still on its way, was registered by the portal after this run started (the portal finishes a request
     * whose client died). The portal itself answers such an upload "Plan ... is applied" (it checks the plan
     * under a row lock before it writes the release); asking for the plan again after any 409 keeps that
     * answer for a conflict the upload reports otherwise. Any other conflict stays the upload's.
     */
    static void upload(PortalClient portal, String tenant, String bundle, UUID planId, String version,
                       ReleaseUpload release) {
        try {
            portal.upload(tenant, bundle, version, release);
        } catch (jakarta.ws.rs.WebApplicationException e) {
            if (e.getResponse().getStatus() == 409) {
                portal.startApply(tenant, bundle, planId.toString()); // throws the 409 "is applied", if it is
            }
            throw e;
        }
    }

    /** Brings spans back from the current release's archive: a restore plan, approved by nature, applied. */
    public Outcome restore(String tenant, String bundle, List<Long> spanIds, Progress progress) throws IOException {
        JsonNode current = releases.current(tenant, bundle);
        List<PlannedSpan> changes = new ArrayList<>();
        for (long spanId : spanIds) {
            changes.add(new PlannedSpan(spanId, SpanId.level(spanId), SpanId.index(spanId), Action.RESTORE,
                    "restore requested", 0, List.of(), "none", 0, "none", 0, List.of("restore --span")));
        }
        Path baseDir = releases.local(tenant, bundle, current);
        restoreRecords(baseDir, spanIds); // refuses spans with nothing archived before anything is submitted
        CurationPlan plan = new CurationPlan(UUID.randomUUID(), CurationPlan.RESTORE, tenant, bundle,
                current.path("version").asText(), clock.instant(), null, null, 0, null,
                new CurationPlan.Totals(changes.size(), 0, 0, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                        java.util.Map.of()), changes);
        submit(plan);
        return apply(tenant, bundle, plan.planId(), Optional.empty(), progress);
    }

    public JsonNode rollback(String tenant, String bundle, UUID planId) {
        JsonNode rolledBack = portal.rollback(tenant, bundle, planId.toString());
        metrics.rolledBack();
        return rolledBack;
    }

    /**
     * The archive records to put back for these spans: a span's own records, those holding its gist or its
     * detail, and (for an LOD1 span) its parent's gist if that was archived, so the tree stays whole.
     */
    public static Set<Long> restoreRecords(Path releaseDir, List<Long> spanIds) throws IOException {
        if (spanIds.isEmpty()) {
            return Set.of();
        }
        Path archivePath = releaseDir.resolve(ArchiveFile.FILE_NAME);
        if (!Files.isRegularFile(archivePath)) {
            throw new NothingArchivedException("This release has no archive: nothing to restore");
        }
        Set<Long> records = new HashSet<>();
        try (ArchiveFile archive = ArchiveFile.open(archivePath)) {
            for (long spanId : spanIds) {
                int level = SpanId.level(spanId);
                long index = SpanId.index(spanId);
                boolean found = false;
                for (ArchivedRun run : archive.runs()) {
                    boolean own = run.spanId() == spanId;
                    boolean gist = run.level() == level && covers(run, index, 1);
                    boolean detail = run.level() == level - 1 && covers(run, index * 32, 32);
                    boolean parent = level == 1 && run.level() == 2 && covers(run, index / 32, 1);
                    if (own || gist || detail) {
                        found = true;
                    }
                    if (own || gist || detail || parent) {
                        records.add(run.spanId());
                    }
                }
                if (!found) {
                    throw new NothingArchivedException(SpanId.describe(spanId) + " has nothing in the archive (never"
                            + " removed, or dropped after its retention)");
                }
            }
        }
        return records;
    }

    private static boolean covers(ArchivedRun run, long first, long count) {
        return run.first() < first + count && first < run.first() + run.count();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A plan file that is not the approved plan. */
    public static class PlanMismatchException extends RuntimeException {
        public PlanMismatchException(String message) {
            super(message);
        }
    }

    /** A restore of spans the archive does not hold. */
    public static class NothingArchivedException extends RuntimeException {
        public NothingArchivedException(String message) {
            super(message);
        }
    }
}
