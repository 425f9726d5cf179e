package dev.megacuration.portal.service;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.BundleMetadata;
import dev.megacuration.format.SpanId;
import dev.megacuration.format.CtxFormatException;
import dev.megacuration.format.store.DirectoryReleaseStore;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.format.store.ReleaseStore;
import dev.megacuration.portal.BundleRelease;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.repository.BundleReleaseRepository;
import dev.megacuration.portal.repository.BundleRepository;
import dev.megacuration.portal.repository.SpanIndexRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Registers uploaded releases: checksums, then the format, then one transaction that records the
 * release and its span index and moves the files into the store before it commits. A release is
 * therefore in both the registry and the store, or in neither.
 */
@ApplicationScoped
public class ReleaseService {
    private final ReleaseStore store;
    private final Vertx vertx;
    private final BundleRepository bundles;
    private final BundleReleaseRepository releases;
    private final SpanIndexRepository spans;
    private final CurationService curationPlans;
    private final CurationMetrics curationMetrics;

    public ReleaseService(ReleaseStore store, Vertx vertx, BundleRepository bundles, BundleReleaseRepository releases,
                          SpanIndexRepository spans, CurationService curationPlans, CurationMetrics curationMetrics) {
        this.curationPlans = curationPlans;
        this.curationMetrics = curationMetrics;
        this.store = store;
        this.vertx = vertx;
        this.bundles = bundles;
        this.releases = releases;
        this.spans = spans;
    }

    /** Uploaded files by release file name, with the SHA-256 the uploader says each has. */
    public record Upload(Map<String, Path> files, Map<String, String> sha256) {
    }

    private record Staged(Path dir, BundleFiles.Verified verified, String metadataSha256, List<ArchivedRun> archive) {
    }

    /** A registered release, and the plan it carried out (null for an imported release). */
    private record Recorded(ReleaseView view, PlanDocument plan) {
    }

    /**
     * Registers an uploaded release. Once started it runs to its end even if the client goes away: the
     * release's files move into the store inside the transaction, so a transaction cancelled halfway (its
     * client killed) would roll back and leave the files behind, and the client's next attempt at the same
     * version would find them ("already exists"). Finishing instead gives that attempt the registered
     * release's answer: the version exists, or its plan "is applied".
     */
    public Uni<ReleaseView> upload(ReleaseKey key, Upload upload, String actor) {
        return Uni.createFrom().deferred(() -> {
            // Subscribed here, on the request's context, and not cancelled with the request.
            java.util.concurrent.CompletableFuture<ReleaseView> done = new java.util.concurrent.CompletableFuture<>();
            register(key, upload, actor).subscribe().with(done::complete, done::completeExceptionally);
            return Uni.createFrom().completionStage(done);
        });
    }

    private Uni<ReleaseView> register(ReleaseKey key, Upload upload, String actor) {
        return blocking(() -> stage(upload)).flatMap(staged -> Panache.withTransaction(() -> record(key, staged, actor))
                // Counted once the transaction committed: a refused upload changed nothing.
                .invoke(recorded -> {
                    if (recorded.plan() != null) {
                        curationMetrics.applied(key.tenant(), recorded.plan(), staged.verified(), staged.archive());
                    }
                })
                .map(Recorded::view)
                .onFailure().call(() -> blocking(() -> {
                    DirectoryReleaseStore.deleteTree(staged.dir());
                    return null;
                })));
    }

    public Uni<List<ReleaseView>> list(String tenant, String bundle) {
        return Panache.withSession(() -> bundles.findInTenant(tenant, bundle).flatMap(b -> {
            if (b == null) {
                throw new jakarta.ws.rs.NotFoundException("No such bundle");
            }
            return releases.listOfBundle(b.id);
        })).map(list -> list.stream().map(ReleaseView::of).toList());
    }

    public Uni<BundleRelease> find(String tenant, String bundle, String version) {
        return Panache.withSession(() -> bundles.findInTenant(tenant, bundle)
                .flatMap(b -> b == null ? Uni.createFrom().nullItem() : releases.findVersion(b.id, version)));
    }

    private Uni<Recorded> record(ReleaseKey key, Staged staged, String actor) {
        BundleFiles.Verified files = staged.verified();
        return bundles.ensure(key.tenant(), key.bundle()).flatMap(bundle -> {
            BundleRelease release = new BundleRelease();
            release.bundleId = bundle.id;
            release.version = key.version();
            release.modelName = files.metadata().modelName();
            release.embeddingDim = files.metadata().embeddingDim();
            release.formatVersion = files.levels().stream().mapToInt(l -> l.header().version()).max().orElse(1);
            release.numTokens = files.tokens();
            release.numLod1 = files.levels().get(1).header().numEntries();
            release.numLod2 = files.levels().get(2).header().numEntries();
            release.gistBytes = files.levels().get(1).header().entryBytes();
            release.lod0Sha256 = files.levels().get(0).sha256();
            release.lod1Sha256 = files.levels().get(1).sha256();
            release.lod2Sha256 = files.levels().get(2).sha256();
            release.metadataSha256 = staged.metadataSha256();
            release.archiveSha256 = files.archiveSha256();
            release.provenance = "imported";
            release.registeredBy = actor;
            release.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            BundleMetadata.Curation curation = files.metadata().curation();
            Uni<BundleRelease> base = curation == null ? Uni.createFrom().nullItem()
                    : releases.findVersion(bundle.id, curation.baseVersion()).onItem().ifNull().failWith(() ->
                    new BadReleaseException("metadata.json names base release " + curation.baseVersion()
                            + ", which this bundle does not have"));
            return base.call(source -> source == null ? Uni.createFrom().voidItem()
                    : curationPlans.claimForRelease(bundle, UUID.fromString(curation.planId()))).flatMap(source -> {
                if (source != null) {
                    release.provenance = "curated";
                    release.sourceReleaseId = source.id;
                    release.curationPlan = curation.planId();
                }
                // Flushing first makes a duplicate version fail here (409) before any file moves.
                return releases.persistAndFlush(release)
                        .call(saved -> spans.writeDense(saved.id, saved.numLod1, saved.numLod2, saved.gistBytes))
                        .call(saved -> source == null ? Uni.createFrom().voidItem() : markCompacted(saved, files))
                        .flatMap(saved -> (source == null ? Uni.createFrom().<PlanDocument>nullItem()
                                : curationPlans.recordApplied(bundle, source, saved, UUID.fromString(curation.planId()),
                                files, staged.archive(), actor))
                                .call(() -> blocking(() -> {
                                    store.put(key, staged.dir());
                                    return null;
                                }))
                                .map(plan -> new Recorded(ReleaseView.of(saved), plan)));
            });
        });
    }

    /** The span index of a compacted release says which spans lost their detail or their gist. */
    private Uni<Integer> markCompacted(BundleRelease release, BundleFiles.Verified files) {
        List<Long> compacted = new ArrayList<>();
        List<Long> archived = new ArrayList<>();
        for (int level = 1; level <= 2; level++) {
            if (files.levels().get(level).index().isDense() && files.levels().get(level - 1).index().isDense()) {
                continue;
            }
            for (long i = 0; i < files.levels().get(level).header().numEntries(); i++) {
                switch (files.spanState(level, i)) {
                    case "archived" -> archived.add(SpanId.of(level, i));
                    case "compacted" -> compacted.add(SpanId.of(level, i));
                    default -> { }
                }
            }
        }
        return spans.markStates(release.id, compacted, archived);
    }

    /** Moves the uploads into one staging folder and checks checksums and format; blocking. */
    private Staged stage(Upload upload) throws IOException {
        Path dir = store.newStagingDir();
        try {
            for (String file : java.util.stream.Stream.concat(ReleaseStore.FILES.stream(),
                    ReleaseStore.OPTIONAL_FILES.stream()).toList()) {
                Path part = upload.files().get(file);
                if (part == null && ReleaseStore.OPTIONAL_FILES.contains(file)) {
                    continue;
                }
                if (part == null) {
                    throw new BadReleaseException("missing file " + file);
                }
                Files.move(part, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                String actual = BundleFiles.sha256(dir.resolve(file));
                if (!actual.equals(upload.sha256().get(file))) {
                    throw new BadReleaseException(file + " has SHA-256 " + actual + ", not the one sent");
                }
            }
            BundleFiles.Verified verified = BundleFiles.verify(dir);
            List<ArchivedRun> archive = List.of();
            if (verified.archiveSha256() != null) {
                try (ArchiveFile file = ArchiveFile.open(dir.resolve(ArchiveFile.FILE_NAME))) {
                    archive = file.runs();
                }
            }
            return new Staged(dir, verified, BundleFiles.sha256(dir.resolve("metadata.json")), archive);
        } catch (CtxFormatException e) {
            DirectoryReleaseStore.deleteTree(dir);
            throw new BadReleaseException("not a valid bundle release: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            DirectoryReleaseStore.deleteTree(dir);
            throw e;
        }
    }

    private interface BlockingWork<T> {
        T run() throws IOException;
    }

    /** Runs file work on a worker thread and resumes on this request's Vert.x context. */
    private <T> Uni<T> blocking(BlockingWork<T> work) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return work.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
