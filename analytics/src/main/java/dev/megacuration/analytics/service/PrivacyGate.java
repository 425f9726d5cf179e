package dev.megacuration.analytics.service;

import dev.megacuration.analytics.client.ReleaseShape;
import dev.megacuration.analytics.client.Releases;
import dev.megacuration.analytics.config.AnalyticsConfig;
import dev.megacuration.analytics.mapping.SpanFeedItem;
import dev.megacuration.analytics.mapping.SpanFeedResponse;
import dev.megacuration.format.SpanId;
import jakarta.ws.rs.NotFoundException;
import dev.megacuration.analytics.mapping.BundleSummary;
import dev.megacuration.analytics.mapping.CellQuery;
import dev.megacuration.analytics.mapping.VersionComparison;
import dev.megacuration.analytics.mapping.CellStatus;
import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.analytics.mapping.SpanStatsResponse;
import dev.megacuration.analytics.mapping.TrendPoint;
import dev.megacuration.analytics.mapping.TrendResponse;
import dev.megacuration.analytics.mapping.Window;
import dev.megacuration.analytics.repository.PublishedCellRepository;
import dev.megacuration.privacy.plan.TenantPlan;
import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import dev.megacuration.privacy.tier.Bucket;
import dev.megacuration.privacy.tier.Feature;
import dev.megacuration.privacy.tier.Tier;
import dev.megacuration.privacy.tier.TierPolicy;
import dev.megacuration.privacy.tier.TierRequiredException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * The one enforcement point between ClickHouse and every answer, export and page: it resolves the tenant's
 * plan, refuses what the tier does not include (403 naming the tier needed), applies the tenant's k, runs
 * the piece-grid queries and checks their result once more before anything is returned.
 */
@ApplicationScoped
public class PrivacyGate {
    private static final Logger LOG = Logger.getLogger(PrivacyGate.class);
    private static final int MAX_HOURLY_DAYS = 31;
    private static final int FEED_PAGE = 1000;

    private final Counter belowThreshold;
    private final Counter withheldByDefence;

    /** A ranking as the resource asked for it. */
    public record TopRequest(String tenant, String bundle, String version, CellQuery.Metric metric, boolean byReason,
                             String from, String to, Integer limit, Integer offset, boolean export, Long span) {
    }

    /** A span's trend (or the whole bundle's, when {@code spanId} is null) as the resource asked for it. */
    public record TrendRequest(String tenant, String bundle, Long spanId, String version, CellQuery.Metric metric,
                               String bucket, String from, String to) {
    }

    /** A page of a release's span feed (the curation runner's input) as the resource asked for it. */
    public record FeedRequest(String tenant, String bundle, String version, String from, String to, Long offset,
                              Integer limit) {
    }

    private final PublishedCellRepository cells;
    private final Releases releases;
    private final TenantPlans plans;
    private final PrivacyThreshold threshold;
    private final AnalyticsConfig config;
    private final Clock clock;

    public PrivacyGate(PublishedCellRepository cells, Releases releases, TenantPlans plans, PrivacyThreshold threshold,
                       AnalyticsConfig config, MeterRegistry metrics) {
        // Cells answered "below threshold" instead of a number; "defence" counts cells a query should
        // never have returned (a bug caught by the last check), which an alert should page on.
        this.belowThreshold = metrics.counter("megacuration.analytics.cells.suppressed", "reason", "below_threshold");
        this.withheldByDefence = metrics.counter("megacuration.analytics.cells.suppressed", "reason", "defence");
        this.cells = cells;
        this.releases = releases;
        this.plans = plans;
        this.threshold = threshold;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public Uni<SpanStatsResponse> top(TopRequest request) {
        return plans.of(request.tenant()).flatMap(plan -> blocking(() -> top(request, plan)));
    }

    public Uni<TrendResponse> trend(TrendRequest request) {
        return plans.of(request.tenant()).flatMap(plan -> blocking(() -> trend(request, plan)));
    }

    /**
     * Every span of a release, each with its expand and stale cell (published, below threshold or none).
     * Curation is a pro and enterprise feature; the feed is per release by nature, so it filters by version
     * without the enterprise per-version breakdown (the pieces are per version either way).
     */
    public Uni<SpanFeedResponse> feed(FeedRequest request) {
        return plans.of(request.tenant())
                .invoke(plan -> TierPolicy.require(plan.tier(), Feature.CURATION))
                .flatMap(plan -> shapeOf(request.tenant(), request.bundle(), request.version())
                        .flatMap(shape -> blocking(() -> feed(request, plan, shape))));
    }

    private SpanFeedResponse feed(FeedRequest request, TenantPlan plan, ReleaseShape shape) throws SQLException {
        Tier tier = plan.tier();
        Window window = window(tier, request.from(), request.to());
        int k = threshold.forTenant(plan.minDeployments());
        long offset = request.offset() == null ? 0 : request.offset();
        int limit = request.limit() == null ? FEED_PAGE : request.limit();
        long end = Math.min(shape.spans(), offset + limit);
        List<SpanFeedItem> items = new ArrayList<>();
        // Positions [0, numLod1) are LOD1 spans, [numLod1, numLod1 + numLod2) LOD2 spans.
        for (int level = 1; level <= 2; level++) {
            long first = level == 1 ? 0 : shape.numLod1();
            long count = level == 1 ? shape.numLod1() : shape.numLod2();
            long from = Math.max(offset, first);
            long to = Math.min(end, first + count);
            if (from >= to) {
                continue;
            }
            long fromSpan = SpanId.of(level, from - first);
            long toSpan = SpanId.of(level, to - first - 1) + 1;
            Map<Long, PublishedCellRepository.SpanCell> expands = cells.spans(new CellQuery(request.tenant(),
                    request.bundle(), request.version(), CellQuery.Metric.EXPANDS, window, false), fromSpan, toSpan,
                    threshold.minDeployments());
            Map<Long, PublishedCellRepository.SpanCell> stale = cells.spanCounts(new CellQuery(request.tenant(),
                    request.bundle(), request.version(), CellQuery.Metric.STALE, window, false), fromSpan, toSpan,
                    threshold.minDeployments());
            for (long spanId = fromSpan; spanId < toSpan; spanId++) {
                items.add(new SpanFeedItem(spanId, level, SpanId.index(spanId), expandCell(expands.get(spanId), k),
                        staleCell(stale.get(spanId), k)));
            }
        }
        return new SpanFeedResponse(request.tenant(), request.bundle(), request.version(), tier.id(), k, window.from(),
                window.to(), shape.spans(), offset, limit, items);
    }

    private SpanFeedItem.ExpandCell expandCell(PublishedCellRepository.SpanCell cell, int k) {
        CellStatus status = statusOf(cell, k);
        if (status != CellStatus.PUBLISHED) {
            return new SpanFeedItem.ExpandCell(status, null, null, null, null, null, null, null);
        }
        PublishedCellRepository.Stats stats = cell.stats();
        return new SpanFeedItem.ExpandCell(status, cell.expands(), cell.collapses(), cell.deployments(),
                stats.residency(), stats.swapRate(), stats.deltaNll(), stats.lastSeen());
    }

    private SpanFeedItem.StaleCell staleCell(PublishedCellRepository.SpanCell cell, int k) {
        CellStatus status = statusOf(cell, k);
        return status == CellStatus.PUBLISHED
                ? new SpanFeedItem.StaleCell(status, cell.entries(), cell.deployments(), cell.stats().lastSeen())
                : new SpanFeedItem.StaleCell(status, null, null, null);
    }

    /**
     * The one rule for a span's cell: no entries is none; published pieces reaching the tenant's k is
     * published; anything else (no piece, or too few deployments together) is below threshold.
     */
    private CellStatus statusOf(PublishedCellRepository.SpanCell cell, int k) {
        return cell == null ? CellStatus.NONE : statusOf(cell.deployments(), k);
    }

    private CellStatus statusOf(long publishedDeployments, int k) {
        if (publishedDeployments >= k) {
            return CellStatus.PUBLISHED;
        }
        belowThreshold.increment();
        return CellStatus.BELOW_THRESHOLD;
    }

    /** Coverage of one release over the window: which share of its spans users expand, and what nobody does. */
    public Uni<BundleSummary> summary(String tenant, String bundle, String version, String from, String to) {
        return plans.of(tenant).flatMap(plan -> shapeOf(tenant, bundle, version)
                .flatMap(shape -> blocking(() -> summary(tenant, bundle, version, from, to, plan, shape))));
    }

    private BundleSummary summary(String tenant, String bundle, String version, String from, String to,
                                  TenantPlan plan, ReleaseShape shape) throws SQLException {
        Window window = window(plan.tier(), from, to);
        int k = threshold.forTenant(plan.minDeployments());
        CellQuery query = new CellQuery(tenant, bundle, version, CellQuery.Metric.EXPANDS, window, false);
        Map<Long, PublishedCellRepository.SpanCell> used = cells.spanCounts(query, 0, -1L, threshold.minDeployments());
        long[] expanded = new long[3];
        long[] below = new long[3];
        long coveredTokens = 0;
        for (Map.Entry<Long, PublishedCellRepository.SpanCell> span : used.entrySet()) {
            int level = SpanId.level(span.getKey());
            long index = SpanId.index(span.getKey());
            long levelSpans = level == 1 ? shape.numLod1() : level == 2 ? shape.numLod2() : 0;
            if (index >= levelSpans) {
                continue; // not a span of this release
            }
            if (statusOf(span.getValue(), k) == CellStatus.PUBLISHED) {
                expanded[level]++;
            } else {
                below[level]++;
            }
            if (level == 1) {
                coveredTokens += tokensUnder(index, shape.numTokens());
            }
        }
        long neverTokens = shape.numTokens() - coveredTokens;
        return new BundleSummary(tenant, bundle, version, plan.tier().id(), k, window.from(), window.to(),
                BundleSummary.Level.of(shape.numLod1(), expanded[1], below[1]),
                BundleSummary.Level.of(shape.numLod2(), expanded[2], below[2]), Math.max(0, neverTokens) * 4);
    }

    /** Tokens under LOD1 span i: 32, or fewer for the last, partly filled block. */
    private static long tokensUnder(long index, long numTokens) {
        return Math.max(0, Math.min(32, numTokens - index * 32));
    }

    /**
     * Two releases side by side (an enterprise per-version breakdown). Spans are ordered by the target's
     * published value, then the base's, then id; the change is given only where both sides are published.
     */
    public Uni<VersionComparison> compare(String tenant, String bundle, String base, String target,
                                          CellQuery.Metric metric, String from, String to, Integer limit) {
        return plans.of(tenant)
                .invoke(plan -> TierPolicy.require(plan.tier(), Feature.VERSION_BREAKDOWN))
                .flatMap(plan -> blocking(() -> compare(tenant, bundle, base, target, metric, from, to, limit, plan)));
    }

    private VersionComparison compare(String tenant, String bundle, String base, String target,
                                      CellQuery.Metric metric, String from, String to, Integer limit, TenantPlan plan)
            throws SQLException {
        Window window = window(plan.tier(), from, to);
        int k = threshold.forTenant(plan.minDeployments());
        int platformK = threshold.minDeployments();
        Map<Long, PublishedCellRepository.SpanCell> before = cells.spanCounts(
                new CellQuery(tenant, bundle, base, metric, window, false), 0, -1L, platformK);
        Map<Long, PublishedCellRepository.SpanCell> after = cells.spanCounts(
                new CellQuery(tenant, bundle, target, metric, window, false), 0, -1L, platformK);
        java.util.Set<Long> spans = new java.util.TreeSet<>(before.keySet());
        spans.addAll(after.keySet());
        List<VersionComparison.Row> rows = new ArrayList<>();
        for (long spanId : spans) {
            Long baseValue = published(before.get(spanId), metric, k);
            Long targetValue = published(after.get(spanId), metric, k);
            rows.add(new VersionComparison.Row(spanId, SpanId.level(spanId), SpanId.index(spanId),
                    statusOf(before.get(spanId), k), baseValue, statusOf(after.get(spanId), k),
                    targetValue, baseValue != null && targetValue != null ? targetValue - baseValue : null));
        }
        rows.sort(java.util.Comparator.comparing((VersionComparison.Row row) -> row.targetValue() == null ? -1
                        : row.targetValue()).reversed()
                .thenComparing(row -> row.baseValue() == null ? -1 : row.baseValue(), java.util.Comparator.reverseOrder())
                .thenComparing(VersionComparison.Row::spanId));
        int size = Math.min(limit == null ? config.defaultLimit() : limit, config.maxLimit());
        return new VersionComparison(tenant, bundle, base, target, metric.id(), k, window.from(), window.to(),
                rows.subList(0, Math.min(size, rows.size())));
    }

    private Long published(PublishedCellRepository.SpanCell cell, CellQuery.Metric metric, int k) {
        if (statusOf(cell, k) != CellStatus.PUBLISHED) {
            return null;
        }
        return metric == CellQuery.Metric.EXPANDS ? cell.expands() : cell.entries();
    }

    private Uni<ReleaseShape> shapeOf(String tenant, String bundle, String version) {
        return releases.shape(tenant, bundle, version).map(shape -> shape.orElseThrow(
                () -> new NotFoundException("No release " + tenant + "/" + bundle + " " + version)));
    }

    private SpanStatsResponse top(TopRequest request, TenantPlan plan) throws SQLException {
        Tier tier = plan.tier();
        if (request.export()) {
            TierPolicy.require(tier, Feature.EXPORT);
        }
        if (request.version() != null) {
            TierPolicy.require(tier, Feature.VERSION_BREAKDOWN);
        }
        if (request.byReason()) {
            TierPolicy.require(tier, Feature.STALE_REASONS);
        }
        Window window = window(tier, request.from(), request.to());
        int offset = request.offset() == null ? 0 : request.offset();
        int limit = Math.min(request.limit() == null ? config.defaultLimit() : request.limit(), config.maxLimit());
        if (offset >= tier.maxSpans()) {
            throw new TierRequiredException(
                    "Spans beyond the top " + tier.maxSpans(), tier, Tier.cheapestWith(Feature.FULL_SPAN_LIST));
        }
        limit = Math.min(limit, tier.maxSpans() - offset);
        int k = threshold.forTenant(plan.minDeployments());
        CellQuery query = new CellQuery(request.tenant(), request.bundle(), request.version(), request.metric(), window,
                request.byReason()).onlySpan(request.span());
        PublishedCellRepository.Page page = cells.top(query, threshold.minDeployments(), k, limit, offset);
        List<SpanStat> published = page.spans().stream().filter(span -> verified(span.deployments(), k)).toList();
        boolean limitedByTier = page.total() > tier.maxSpans();
        return new SpanStatsResponse(request.tenant(), request.bundle(), request.version(), request.metric().id(),
                tier.id(), k, window.from(), window.to(), page.total(), offset, limit, limitedByTier,
                tier.maxSpans() == Integer.MAX_VALUE ? null : tier.maxSpans(), published);
    }

    private TrendResponse trend(TrendRequest request, TenantPlan plan) throws SQLException {
        Tier tier = plan.tier();
        if (request.version() != null) {
            TierPolicy.require(tier, Feature.VERSION_BREAKDOWN);
        }
        Bucket bucket = bucket(tier, request.bucket());
        TierPolicy.requireBucket(tier, bucket);
        Window window = window(tier, request.from(), request.to());
        if (bucket == Bucket.HOUR && ChronoUnit.DAYS.between(window.from(), window.to()) >= MAX_HOURLY_DAYS) {
            throw new InvalidQueryException("bucket", "hourly trends cover at most " + MAX_HOURLY_DAYS + " days");
        }
        int k = threshold.forTenant(plan.minDeployments());
        CellQuery query = new CellQuery(request.tenant(), request.bundle(), request.version(), request.metric(), window,
                false).onlySpan(request.spanId());
        Map<Instant, PublishedCellRepository.BucketCell> found = cells.trend(query, bucket, threshold.minDeployments());
        List<TrendPoint> points = new ArrayList<>();
        for (Instant start : buckets(window, bucket)) {
            PublishedCellRepository.BucketCell cell = found.get(start);
            if (cell == null) {
                points.add(TrendPoint.unpublished(start, CellStatus.NONE));
            } else if (statusOf(cell.deployments(), k) == CellStatus.PUBLISHED) {
                boolean expands = request.metric() == CellQuery.Metric.EXPANDS;
                points.add(new TrendPoint(start, CellStatus.PUBLISHED, expands ? cell.expands() : null,
                        expands ? null : cell.staleReports(), cell.deployments()));
            } else {
                points.add(TrendPoint.unpublished(start, CellStatus.BELOW_THRESHOLD));
            }
        }
        return new TrendResponse(request.tenant(), request.bundle(), request.version(), request.spanId(),
                request.metric().id(), bucket.name().toLowerCase(), tier.id(), k, window.from(), window.to(), points);
    }

    /** The last line of defence: a cell under k here is a bug in the query, and is dropped, never shown. */
    private boolean verified(long deployments, int k) {
        if (deployments < k) {
            LOG.errorf("A query returned a cell of %d deployments under k = %d; it was withheld", deployments, k);
            withheldByDefence.increment();
            return false;
        }
        return true;
    }

    private Window window(Tier tier, String fromText, String toText) {
        LocalDate today = LocalDate.now(clock);
        LocalDate to = toText == null ? today : date("to", toText);
        LocalDate from = fromText == null ? to.minusDays(Math.min(tier.windowDays(), 30) - 1L) : date("from", fromText);
        if (to.isAfter(today)) {
            throw new InvalidQueryException("to", "the window may not end after today (" + today + ")");
        }
        if (from.isAfter(to)) {
            throw new InvalidQueryException("from", "the window starts (" + from + ") after it ends (" + to + ")");
        }
        try {
            TierPolicy.requireWindow(tier, from, today);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("from", e.getMessage());
        }
        return new Window(from, to);
    }

    private static Bucket bucket(Tier tier, String text) {
        if (text == null) {
            return tier.finestBucket() == Bucket.HOUR ? Bucket.DAY : tier.finestBucket();
        }
        try {
            return Bucket.valueOf(text.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("bucket", "bucket is one of hour, day, week");
        }
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidQueryException(field, field + " is a date like 2026-11-26 (UTC)");
        }
    }

    /** Every bucket start of the window, so that a trend leaves no bucket out. */
    static List<Instant> buckets(Window window, Bucket bucket) {
        List<Instant> starts = new ArrayList<>();
        Instant end = window.endExclusive();
        Instant at = switch (bucket) {
            case HOUR, DAY -> window.start();
            case WEEK -> window.from().with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
        };
        ChronoUnit step = bucket == Bucket.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        long amount = bucket == Bucket.WEEK ? 7 : 1;
        for (; at.isBefore(end); at = at.plus(amount, step)) {
            starts.add(at);
        }
        return starts;
    }

    private static <T> Uni<T> blocking(Callable<T> work) {
        // JDBC blocks: run it on a worker so the event loop stays free.
        return Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("ClickHouse query failed", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
