package dev.megacuration.portal.service;

import dev.megacuration.format.SpanId;
import dev.megacuration.portal.Bundle;
import dev.megacuration.portal.BundleRelease;
import dev.megacuration.portal.SpanTag;
import dev.megacuration.portal.SpanTagEvent;
import dev.megacuration.portal.mapping.SpanIndexPage;
import dev.megacuration.portal.mapping.SpanTagView;
import dev.megacuration.portal.mapping.TagEventView;
import dev.megacuration.portal.repository.BundleReleaseRepository;
import dev.megacuration.portal.repository.BundleRepository;
import dev.megacuration.portal.repository.SpanIndexRepository;
import dev.megacuration.portal.repository.SpanTagEventRepository;
import dev.megacuration.portal.repository.SpanTagRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Tags on spans and the span index they decorate. Tags are kept per bundle, so a tag set on one release
 * applies to the same span of every later release; every change is appended to the tag history.
 */
@ApplicationScoped
public class TagService {
    private final BundleRepository bundles;
    private final BundleReleaseRepository releases;
    private final SpanIndexRepository spans;
    private final SpanTagRepository tags;
    private final SpanTagEventRepository history;

    public TagService(BundleRepository bundles, BundleReleaseRepository releases, SpanIndexRepository spans,
                      SpanTagRepository tags, SpanTagEventRepository history) {
        this.bundles = bundles;
        this.releases = releases;
        this.spans = spans;
        this.tags = tags;
        this.history = history;
    }

    @WithTransaction
    public Uni<SpanTagView> tag(String tenant, String bundleName, long spanId, String tag, boolean subtree,
                                String actor) {
        return existingSpan(tenant, bundleName, spanId).flatMap(bundle -> tags.findTag(bundle.id, spanId, tag)
                .flatMap(existing -> {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    SpanTag row = existing != null ? existing : new SpanTag();
                    row.bundleId = bundle.id;
                    row.spanId = spanId;
                    row.tag = tag;
                    row.subtree = subtree;
                    row.taggedBy = actor;
                    row.taggedAt = now;
                    return tags.persist(row).call(saved -> history.persist(event(saved, "added", actor, now)));
                })).map(SpanTagView::of);
    }

    /** Removes a tag; false when the span did not carry it. */
    @WithTransaction
    public Uni<Boolean> untag(String tenant, String bundleName, long spanId, String tag, String actor) {
        return bundleOf(tenant, bundleName).flatMap(bundle -> tags.findTag(bundle.id, spanId, tag)
                .flatMap(existing -> existing == null ? Uni.createFrom().item(false)
                        : tags.delete(existing)
                                .call(() -> history.persist(event(existing, "removed", actor,
                                        OffsetDateTime.now(ZoneOffset.UTC))))
                                .replaceWith(true)));
    }

    @WithSession
    public Uni<List<SpanTagView>> tags(String tenant, String bundleName) {
        return bundleOf(tenant, bundleName).flatMap(bundle -> tags.ofBundle(bundle.id))
                .map(list -> list.stream().map(SpanTagView::of).toList());
    }

    @WithSession
    public Uni<List<TagEventView>> history(String tenant, String bundleName) {
        return bundleOf(tenant, bundleName).flatMap(bundle -> history.historyOf(bundle.id))
                .map(list -> list.stream().map(TagEventView::of).toList());
    }

    /** A page of a release's span index with the tags that apply to each span. */
    @WithSession
    public Uni<SpanIndexPage> spanIndex(String tenant, String bundleName, String version, int level, long offset,
                                        int limit) {
        return bundleOf(tenant, bundleName).flatMap(bundle -> releases.findVersion(bundle.id, version)
                .onItem().ifNull().failWith(() -> new NotFoundException("No release " + version + " of " + bundleName))
                .flatMap(release -> spans.page(release.id, level, offset, limit)
                        .flatMap(rows -> tags.ofBundle(bundle.id).map(all -> new SpanIndexPage(version, level, offset,
                                total(release, level), rows.stream().map(row -> decorate(row, all)).toList())))));
    }

    private static long total(BundleRelease release, int level) {
        Long entries = release.entriesAt(level);
        return entries == null ? 0 : entries;
    }

    /** Own tags, plus subtree tags of the LOD2 ancestor for an LOD1 span. */
    private static SpanIndexPage.Span decorate(SpanIndexRepository.Row row, List<SpanTag> all) {
        long parent = row.level() < 2 ? SpanId.of(row.level() + 1, row.index() / 32) : -1;
        List<String> applied = new ArrayList<>();
        for (SpanTag tag : all) {
            if (tag.spanId == row.spanId() || tag.subtree && tag.spanId == parent) {
                applied.add(tag.tag);
            }
        }
        return new SpanIndexPage.Span(row.spanId(), row.level(), row.index(), row.tokenStart(), row.tokenEnd(),
                row.lod0Bytes(), row.lod1Bytes(), row.lod2Bytes(), row.state(), applied);
    }

    private Uni<Bundle> bundleOf(String tenant, String bundleName) {
        return bundles.findInTenant(tenant, bundleName)
                .onItem().ifNull().failWith(() -> new NotFoundException("No such bundle"));
    }

    /** The bundle, if its newest release has this span. */
    private Uni<Bundle> existingSpan(String tenant, String bundleName, long spanId) {
        return bundleOf(tenant, bundleName).flatMap(bundle -> releases.latestWithFiles(bundle.id).map(latest -> {
            Long entries = latest == null || !SpanId.isValid(spanId) ? null : latest.entriesAt(SpanId.level(spanId));
            if (entries == null || SpanId.index(spanId) >= entries) {
                throw new NotFoundException("No span " + spanId + " in " + bundleName);
            }
            return bundle;
        }));
    }

    private static SpanTagEvent event(SpanTag tag, String action, String actor, OffsetDateTime at) {
        SpanTagEvent event = new SpanTagEvent();
        event.bundleId = tag.bundleId;
        event.spanId = tag.spanId;
        event.tag = tag.tag;
        event.action = action;
        event.subtree = tag.subtree;
        event.actor = actor;
        event.at = at;
        return event;
    }
}
