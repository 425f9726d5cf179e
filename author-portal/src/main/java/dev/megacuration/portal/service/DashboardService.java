package dev.megacuration.portal.service;

import dev.megacuration.format.SpanId;
import dev.megacuration.portal.client.AnalyticsClient;
import dev.megacuration.portal.client.Comparison;
import dev.megacuration.portal.client.Coverage;
import dev.megacuration.portal.client.SpanStats;
import dev.megacuration.portal.client.Trend;
import dev.megacuration.portal.config.PortalConfig;
import dev.megacuration.portal.mapping.BundleView;
import dev.megacuration.portal.mapping.CurationEventView;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.mapping.Section;
import dev.megacuration.portal.mapping.SpanTagView;
import dev.megacuration.portal.mapping.TrendChart;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.tier.Feature;
import dev.megacuration.privacy.tier.Tier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What the bundle dashboard and the span page show, every number from the analytics API with the
 * author's own token (so tiers and thresholds hold as for any other caller). The tenant's tier is read
 * here only to decide what to ask for and to say which plan unlocks a locked part; analytics enforces it.
 */
@ApplicationScoped
public class DashboardService {
    /** The windows a page offers, in days; analytics refuses those beyond the tier (shown as locked). */
    public static final List<Integer> WINDOWS = List.of(7, 30, 90, 365);

    private final AnalyticsClient analytics;
    private final TenantPlans plans;
    private final CurationService curation;
    private final TagService tags;
    private final PortalConfig config;
    private final Clock clock = Clock.systemUTC();

    public DashboardService(@RestClient AnalyticsClient analytics, TenantPlans plans, CurationService curation,
                            TagService tags, PortalConfig config) {
        this.analytics = analytics;
        this.plans = plans;
        this.curation = curation;
        this.tags = tags;
        this.config = config;
    }

    /** The dashboard's filters: a version (or every version), a window in days, and two versions to compare. */
    public record Filter(String version, int windowDays, String base, String target) {
        public boolean comparing() {
            return base != null && target != null;
        }
    }

    public record Dashboard(BundleView bundle, Filter filter, Tier tier, LocalDate from, LocalDate to,
                            List<Integer> windows, Section<SpanStats> expanded, Section<SpanStats> stale,
                            Section<SpanStats> staleReasons, Section<TrendChart> expandTrend, Section<TrendChart> staleTrend, String coverageVersion,
                            Section<Coverage> coverage, Section<Comparison> comparison) {
        public boolean versionsLocked() {
            return !tier.allows(Feature.VERSION_BREAKDOWN);
        }

        public String versionsUnlockedBy() {
            return Tier.cheapestWith(Feature.VERSION_BREAKDOWN).id();
        }

        public boolean exportsLocked() {
            return !tier.allows(Feature.EXPORT);
        }

        public String exportsUnlockedBy() {
            return Tier.cheapestWith(Feature.EXPORT).id();
        }
    }

    public Uni<Dashboard> dashboard(String bearer, BundleView bundle, Filter filter) {
        LocalDate to = LocalDate.now(clock);
        LocalDate from = to.minusDays(filter.windowDays() - 1L);
        String tenant = bundle.tenant();
        String name = bundle.name();
        String coverageVersion = filter.version() != null ? filter.version()
                : bundle.releases().stream().filter(r -> r.withdrawnAt() == null).map(ReleaseView::version).findFirst()
                        .orElse(null);
        int rows = config.topSpans();
        return plans.of(tenant).flatMap(plan -> {
            Tier tier = plan.tier();
            Uni<Section<Comparison>> comparison = !filter.comparing() ? Uni.createFrom().item((Section<Comparison>) null)
                    : tier.allows(Feature.VERSION_BREAKDOWN)
                    ? Section.from(analytics.compare(bearer, tenant, name, filter.base(), filter.target(), from, to, rows))
                    : Uni.createFrom().item(Section.locked(Tier.cheapestWith(Feature.VERSION_BREAKDOWN).id(),
                    Feature.VERSION_BREAKDOWN.description()));
            Uni<Section<Coverage>> coverage = coverageVersion == null ? Uni.createFrom().item((Section<Coverage>) null)
                    : Section.from(analytics.coverage(bearer, tenant, name, coverageVersion, from, to));
            return Uni.combine().all().unis(
                    Section.from(analytics.topExpanded(bearer, tenant, name, filter.version(), from, to, rows, null)),
                    Section.from(analytics.stale(bearer, tenant, name, filter.version(), from, to, false, rows, null)),
                    reasons(tier, analytics.stale(bearer, tenant, name, filter.version(), from, to, true, rows, null)),
                    chart("Expands", analytics.bundleTrend(bearer, tenant, name, filter.version(), "expands", from, to)),
                    chart("Stale reports", analytics.bundleTrend(bearer, tenant, name, filter.version(), "stale", from, to)),
                    coverage, comparison)
                    .with((expanded, stale, reasons, expandTrend, staleTrend, cov, cmp) -> new Dashboard(bundle, filter,
                            tier, from, to, WINDOWS, expanded, stale, reasons, expandTrend, staleTrend, coverageVersion,
                            cov, cmp));
        });
    }

    /**
     * How fresh each bundle's data is: the newest bucket of the last week that anybody reported in (a
     * bucket's status is no secret: the trend shows it too), or why it is unknown. One call per bundle.
     */
    public Uni<List<String>> freshness(String bearer, List<BundleView> bundles) {
        LocalDate to = LocalDate.now(clock);
        LocalDate from = to.minusDays(6);
        return io.smallrye.mutiny.Multi.createFrom().iterable(bundles).onItem().transformToUniAndConcatenate(bundle ->
                        Section.from(analytics.bundleTrend(bearer, bundle.tenant(), bundle.name(), null, "expands", from, to))
                                .map(section -> section.locked() || section.error() != null ? "unknown"
                                        : section.value().points().stream().filter(p -> !"none".equals(p.status()))
                                        .reduce((a, b) -> b)
                                        .map(p -> "reports in the " + section.value().bucket() + " of "
                                                + LocalDate.ofInstant(p.start(), java.time.ZoneOffset.UTC))
                                        .orElse("no reports in the last 7 days")))
                .collect().asList();
    }

    /** Where a span sits in the newest release: its tokens, its parent and its children. */
    public record SpanPlace(long spanId, int level, long index, long firstToken, long endToken, Long parent,
                            long firstChild, long childCount) {
        /** The LOD1 spans under an LOD2 span (none under an LOD1 span: its detail is LOD0 tokens). */
        public List<Long> children() {
            return java.util.stream.LongStream.range(firstChild, firstChild + childCount)
                    .mapToObj(i -> SpanId.of(1, i)).toList();
        }
    }

    public record SpanPage(BundleView bundle, SpanPlace place, Tier tier, LocalDate from, LocalDate to,
                           Section<SpanStats> expanded, Section<SpanStats> stale, Section<SpanStats> staleReasons,
                           Section<TrendChart> expandTrend, Section<TrendChart> staleTrend, List<SpanTagView> tags,
                           List<CurationEventView> history) {
    }

    /**
     * A span of the newest release with files that is not withdrawn (the release the span index and the
     * tags go by: {@code BundleReleaseRepository.latestWithFiles}), or empty when it has no such span (the
     * page answers 404).
     */
    public Optional<SpanPlace> place(BundleView bundle, long spanId) {
        Optional<ReleaseView> current = bundle.releases().stream()
                .filter(r -> r.numLod1() != null && r.withdrawnAt() == null).findFirst(); // newest first
        if (!SpanId.isValid(spanId) || current.isEmpty()) {
            return Optional.empty();
        }
        int level = SpanId.level(spanId);
        long index = SpanId.index(spanId);
        long lod1 = current.get().numLod1();
        long lod2 = current.get().numLod2();
        long first = SpanId.firstToken(spanId);
        long end = first + SpanId.tokensPerSpan(level);
        long fanOut = SpanId.tokensPerSpan(1); // gists per gist above them, as tokens per LOD1 gist
        if (level == 1 && index < lod1) {
            return Optional.of(new SpanPlace(spanId, 1, index, first, end,
                    index / fanOut < lod2 ? SpanId.of(2, index / fanOut) : null, 0, 0));
        }
        if (level == 2 && index < lod2) {
            return Optional.of(new SpanPlace(spanId, 2, index, first, end, null, index * fanOut,
                    Math.min(fanOut, lod1 - index * fanOut)));
        }
        return Optional.empty();
    }

    public Uni<SpanPage> span(String bearer, BundleView bundle, SpanPlace place, int windowDays) {
        LocalDate to = LocalDate.now(clock);
        LocalDate from = to.minusDays(windowDays - 1L);
        String tenant = bundle.tenant();
        String name = bundle.name();
        String id = Long.toUnsignedString(place.spanId());
        return plans.of(tenant).flatMap(plan -> {
            // The database reads run one after the other (one reactive session); analytics calls at once.
            return curation.audit(tenant, name, null, place.spanId(), 0, 50).flatMap(history ->
                    tags.tags(tenant, name).map(all -> all.stream().filter(t -> appliesTo(t, place)).toList())
                            .flatMap(spanTags -> Uni.combine().all().unis(
                                    Section.from(analytics.topExpanded(bearer, tenant, name, null, from, to, 1, id)),
                                    Section.from(analytics.stale(bearer, tenant, name, null, from, to, false, 1, id)),
                                    reasons(plan.tier(), analytics.stale(bearer, tenant, name, null, from, to, true, 50, id)),
                                    chart("Expands", analytics.spanTrend(bearer, tenant, name, id, null, "expands", from, to)),
                                    chart("Stale reports", analytics.spanTrend(bearer, tenant, name, id, null, "stale", from, to)))
                                    .with((expanded, stale, reasons, expandTrend, staleTrend) -> new SpanPage(bundle,
                                            place, plan.tier(), from, to, expanded, stale, reasons, expandTrend,
                                            staleTrend, spanTags, history))));
        });
    }

    /** A tag on the span itself, or a subtree tag on its parent. */
    private static boolean appliesTo(SpanTagView tag, SpanPlace place) {
        return tag.spanId() == place.spanId() || tag.subtree() && place.parent() != null && tag.spanId() == place.parent();
    }

    /**
     * Stale reports by reason, where the plan has them (asked lazily: the call is only made then). A
     * reason's cell needs k deployments of its own, so a span whose total is published may show no reason.
     */
    private static Uni<Section<SpanStats>> reasons(Tier tier, Uni<SpanStats> call) {
        return tier.allows(Feature.STALE_REASONS) ? Section.from(call)
                : Uni.createFrom().item(Section.locked(Tier.cheapestWith(Feature.STALE_REASONS).id(),
                Feature.STALE_REASONS.description()));
    }

    private static Uni<Section<TrendChart>> chart(String label, Uni<Trend> trend) {
        return Section.from(trend).map(section -> section.map(t -> TrendChart.of(label, t)));
    }
}
