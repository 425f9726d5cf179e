package dev.megacuration.portal.service;

import dev.megacuration.format.ArchivedRun;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.SpanId;
import dev.megacuration.portal.Bundle;
import dev.megacuration.portal.BundleRelease;
import dev.megacuration.portal.CurationEvent;
import dev.megacuration.portal.CurationPlan;
import dev.megacuration.portal.mapping.CurationEventView;
import dev.megacuration.portal.mapping.CurationPlanView;
import dev.megacuration.portal.repository.BundleReleaseRepository;
import dev.megacuration.portal.repository.BundleRepository;
import dev.megacuration.portal.repository.CurationEventRepository;
import dev.megacuration.portal.repository.CurationEventRepository.SpanChange;
import dev.megacuration.portal.repository.CurationPlanRepository;
import dev.megacuration.portal.repository.SpanIndexRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Curation plans and their audit log. The runner proposes a plan and applies it; a person approves or
 * rejects it (or the policy, where it allows, for the runner's own plans); a rollback makes the release
 * before the plan current again. Every step is one transaction that also appends its audit lines.
 */
@ApplicationScoped
public class CurationService {
    private final BundleRepository bundles;
    private final BundleReleaseRepository releases;
    private final CurationPlanRepository plans;
    private final CurationEventRepository events;
    private final SpanIndexRepository spans;

    public CurationService(BundleRepository bundles, BundleReleaseRepository releases,
                           CurationPlanRepository plans, CurationEventRepository events, SpanIndexRepository spans) {
        this.bundles = bundles;
        this.releases = releases;
        this.plans = plans;
        this.events = events;
        this.spans = spans;
    }

    /** Who acts: a person, or a service account (the runner). */
    public record Actor(String name, boolean person) {
    }

    /** A submitted plan, and whether this call created it (a resubmission of the same plan is not an error). */
    public record Submitted(CurationPlanView plan, boolean created) {
    }

    public Uni<Submitted> propose(String tenant, String bundleName, String body, Actor actor) {
        PlanDocument doc = PlanDocument.scan(body);
        String sha = sha256(body);
        return Panache.withTransaction(() -> bundle(tenant, bundleName).flatMap(bundle -> releases
                .findVersion(bundle.id, doc.baseVersion()).flatMap(base -> {
                    if (base == null) {
                        throw new NotFoundException("No release " + doc.baseVersion() + " of " + bundleName);
                    }
                    if (base.withdrawnAt != null) {
                        throw new ClientErrorException("Release " + base.version + " was withdrawn by a rollback", 409);
                    }
                    return plans.findById(doc.planId()).flatMap(existing -> {
                        if (existing != null) {
                            if (!existing.bundleId.equals(bundle.id) || !existing.documentSha256.equals(sha)) {
                                throw new ClientErrorException("Plan " + doc.planId() + " exists with other content", 409);
                            }
                            return Uni.createFrom().item(new Submitted(CurationPlanView.of(existing, base.version, null), false));
                        }
                        return create(bundle, base, doc, body, sha, actor);
                    });
                })));
    }

    private Uni<Submitted> create(Bundle bundle, BundleRelease base, PlanDocument doc, String body, String sha,
                                  Actor actor) {
        OffsetDateTime now = now();
        CurationPlan plan = new CurationPlan();
        plan.id = doc.planId();
        plan.bundleId = bundle.id;
        plan.baseReleaseId = base.id;
        plan.kind = doc.kind();
        plan.status = CurationPlan.PROPOSED;
        plan.document = body;
        plan.documentSha256 = sha;
        plan.spansChanged = doc.changes();
        plan.bytesSaved = doc.bytesSaved();
        plan.hasDeletes = doc.hasDeletes();
        plan.paranoia = doc.paranoia();
        plan.proposedBy = actor.name();
        plan.proposedAt = now;
        List<CurationEvent> log = new ArrayList<>();
        log.add(event(plan, now, actor.name(), "proposed", doc.changes() + " spans, " + doc.bytesSaved()
                + " bytes saved, base " + base.version));
        // Restores only bring archived content back; a policy set to auto approves the runner's own plans.
        String automatic = "restore".equals(doc.kind()) ? "a restore only brings content back"
                : doc.autoApproval() && !actor.person() ? "the policy approves its own plans (approval: auto)" : null;
        if (automatic != null) {
            plan.status = CurationPlan.APPROVED;
            plan.decidedBy = "policy";
            plan.decidedByPerson = false;
            plan.decidedAt = now;
            plan.decisionComment = automatic;
            log.add(event(plan, now, "policy", "approved", automatic));
        }
        return plan.persist().call(() -> CurationEvent.persist(log))
                .map(saved -> new Submitted(CurationPlanView.of(plan, base.version, null), true));
    }

    public Uni<List<CurationPlanView>> list(String tenant, String bundleName) {
        return Panache.withSession(() -> bundle(tenant, bundleName).flatMap(bundle -> plans.listOfBundle(bundle.id)
                .flatMap(list -> releases.listOfBundle(bundle.id).map(all -> {
                    Map<Long, String> versions = new java.util.HashMap<>();
                    all.forEach(r -> versions.put(r.id, r.version));
                    return list.stream().map(p -> CurationPlanView.of(p, versions.get(p.baseReleaseId), null)).toList();
                }))));
    }

    public Uni<CurationPlanView> get(String tenant, String bundleName, UUID id) {
        return Panache.withSession(() -> plan(tenant, bundleName, id).flatMap(this::fullView));
    }

    /** A person approves or rejects a proposed plan. */
    public Uni<CurationPlanView> decide(String tenant, String bundleName, UUID id, boolean approve, String comment, Actor actor) {
        if (!actor.person()) {
            throw new ForbiddenException("A person approves or rejects plans, not a service account");
        }
        return Panache.withTransaction(() -> plan(tenant, bundleName, id).flatMap(plan -> {
            requireStatus(plan, CurationPlan.PROPOSED);
            OffsetDateTime now = now();
            plan.status = approve ? CurationPlan.APPROVED : CurationPlan.REJECTED;
            plan.decidedBy = actor.name();
            plan.decidedByPerson = true;
            plan.decidedAt = now;
            plan.decisionComment = comment;
            return event(plan, now, actor.name(), approve ? "approved" : "rejected", comment).persist()
                    .flatMap(ignored -> fullView(plan));
        }));
    }

    /** The runner starts applying an approved plan (again, if a previous attempt died). */
    public Uni<CurationPlanView> startApply(String tenant, String bundleName, UUID id, Actor actor) {
        return Panache.withTransaction(() -> plan(tenant, bundleName, id).flatMap(plan -> {
            requireStatus(plan, CurationPlan.APPROVED, CurationPlan.APPLYING);
            Uni<?> logged = Uni.createFrom().voidItem();
            if (CurationPlan.APPROVED.equals(plan.status)) {
                plan.status = CurationPlan.APPLYING;
                logged = event(plan, now(), actor.name(), "apply_started", null).persist();
            }
            return logged.flatMap(ignored -> fullView(plan));
        }));
    }

    /**
     * Inside the upload's transaction, before the release row is written: locks the plan's row and refuses a
     * plan that is no longer approved or applying. Two uploads of one plan's release (a runner killed while
     * its upload was on its way, the portal finishing it, and the runner's next attempt) meet here: the
     * second waits for the first, then gets "Plan ... is applied", not "That already exists".
     */
    public Uni<Void> claimForRelease(Bundle bundle, UUID planId) {
        return plans.lockInBundle(bundle.id, planId).invoke(plan -> {
            if (plan == null) {
                throw new BadReleaseException("metadata.json names plan " + planId + ", which this bundle does not have");
            }
            requireStatus(plan, CurationPlan.APPROVED, CurationPlan.APPLYING);
        }).replaceWithVoid();
    }

    /**
     * Inside the upload's transaction: the release a plan produced is registered, so the plan is applied,
     * with one audit line per span whose state changed. Refused (and with it the upload) unless the plan is
     * approved for exactly this base release, and unless its deletes were allowed.
     */
    public Uni<PlanDocument> recordApplied(Bundle bundle, BundleRelease base, BundleRelease release, UUID planId,
                                           BundleFiles.Verified files, List<ArchivedRun> archive, String actor) {
        return plans.findInBundle(bundle.id, planId).flatMap(plan -> {
            if (plan == null) {
                throw new BadReleaseException("metadata.json names plan " + planId + ", which this bundle does not have");
            }
            requireStatus(plan, CurationPlan.APPROVED, CurationPlan.APPLYING);
            if (!plan.baseReleaseId.equals(base.id)) {
                throw new BadReleaseException("plan " + planId + " was made for another base release");
            }
            boolean deletesAllowed = !plan.paranoia || Boolean.TRUE.equals(plan.decidedByPerson);
            if (!deletesAllowed && archive.stream().anyMatch(r -> r.action() == ArchivedRun.Action.DELETE
                    && planId.equals(r.planId()))) {
                throw new ClientErrorException("Paranoia: this plan may only archive until a person approves it", 409);
            }
            PlanDocument changes = PlanDocument.scan(plan.document);
            List<Long> ids = PlanDocument.ids(changes.spanIds());
            return spans.states(base.id, ids).flatMap(before -> {
                Map<Long, String> shaBySpan = new java.util.HashMap<>();
                for (ArchivedRun run : archive) {
                    if (planId.equals(run.planId())) {
                        shaBySpan.putIfAbsent(run.spanId(), run.sha256Hex());
                    }
                }
                List<SpanChange> rows = new ArrayList<>();
                for (int i = 0; i < changes.changes(); i++) {
                    long span = changes.spanIds()[i];
                    rows.add(new SpanChange(span, "span_" + changes.actions()[i].toLowerCase(),
                            before.getOrDefault(span, "present"), files.spanState(SpanId.level(span), SpanId.index(span)), shaBySpan.get(span)));
                }
                OffsetDateTime now = now();
                plan.status = CurationPlan.APPLIED;
                plan.resultReleaseId = release.id;
                plan.resultVersion = release.version;
                plan.appliedAt = now;
                CurationEvent published = event(plan, now, actor, "release_published", "LOD0-2 "
                        + release.lod0Sha256 + " " + release.lod1Sha256 + " " + release.lod2Sha256
                        + (release.archiveSha256 == null ? "" : ", archive " + release.archiveSha256));
                published.releaseVersion = release.version;
                published.oldSha256 = base.lod0Sha256;
                published.newSha256 = release.lod0Sha256;
                return events.appendSpanChanges(bundle.id, planId, now, actor, release.version, base.lod0Sha256, rows)
                        .flatMap(ignored -> published.persist()).map(ignored -> changes);
            });
        });
    }

    /**
     * Makes the release before the plan current again: the plan's release, and those of plans applied after
     * it, are withdrawn (kept in the store for the audit trail, no longer current or downloadable as latest).
     */
    public Uni<CurationPlanView> rollback(String tenant, String bundleName, UUID id, Actor actor) {
        return Panache.withTransaction(() -> plan(tenant, bundleName, id).flatMap(plan -> {
            requireStatus(plan, CurationPlan.APPLIED);
            OffsetDateTime now = now();
            return plans.appliedSince(plan.bundleId, plan.appliedAt).flatMap(later -> {
                // One session runs one statement at a time: the steps are chained, not joined.
                Uni<?> steps = Uni.createFrom().voidItem();
                for (CurationPlan undone : later) {
                    undone.status = CurationPlan.ROLLED_BACK;
                    undone.rolledBackBy = actor.name();
                    undone.rolledBackAt = now;
                    CurationEvent rolled = event(undone, now, actor.name(), "rolled_back", undone.id.equals(plan.id)
                            ? "release " + undone.resultVersion + " withdrawn"
                            : "withdrawn with the rollback of plan " + plan.id);
                    rolled.releaseVersion = undone.resultVersion;
                    steps = steps.flatMap(ignored -> releases.findById(undone.resultReleaseId))
                            .invoke(release -> release.withdrawnAt = now)
                            .flatMap(ignored -> rolled.persist());
                }
                return steps.flatMap(ignored -> fullView(plan));
            });
        }));
    }

    public Uni<List<CurationEventView>> audit(String tenant, String bundleName, UUID planId, Long spanId, long after,
                                              int limit) {
        return Panache.withSession(() -> bundle(tenant, bundleName).flatMap(bundle -> events.page(bundle.id, planId,
                spanId, after, limit)).map(list -> list.stream().map(CurationEventView::of).toList()));
    }

    private Uni<CurationPlanView> fullView(CurationPlan plan) {
        return releases.findById(plan.baseReleaseId)
                .map(base -> CurationPlanView.of(plan, base.version, plan.document));
    }

    private Uni<Bundle> bundle(String tenant, String name) {
        return bundles.findInTenant(tenant, name).onItem().ifNull()
                .failWith(() -> new NotFoundException("No such bundle"));
    }

    private Uni<CurationPlan> plan(String tenant, String bundleName, UUID id) {
        return bundle(tenant, bundleName).flatMap(bundle -> plans.findInBundle(bundle.id, id)).onItem().ifNull()
                .failWith(() -> new NotFoundException("No such plan"));
    }

    private static void requireStatus(CurationPlan plan, String... allowed) {
        for (String status : allowed) {
            if (status.equals(plan.status)) {
                return;
            }
        }
        throw new ClientErrorException("Plan " + plan.id + " is " + plan.status + ", not "
                + String.join(" or ", allowed), 409);
    }

    private static CurationEvent event(CurationPlan plan, OffsetDateTime at, String actor, String action, String detail) {
        CurationEvent event = new CurationEvent();
        event.bundleId = plan.bundleId;
        event.planId = plan.id;
        event.at = at;
        event.actor = actor;
        event.action = action;
        event.detail = detail;
        return event;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** SHA-256 of the body's UTF-8 bytes, a megabyte at a time (a plan may be tens of megabytes). */
    private static String sha256(String body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            int chunk = 1 << 20;
            for (int start = 0; start < body.length(); ) {
                int end = Math.min(body.length(), start + chunk);
                if (end < body.length() && Character.isHighSurrogate(body.charAt(end - 1))) {
                    end++; // never split a surrogate pair
                }
                digest.update(body.substring(start, end).getBytes(StandardCharsets.UTF_8));
                start = end;
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
