package dev.megacuration.curation.service;

import dev.megacuration.curation.client.AnalyticsClient;
import dev.megacuration.curation.client.SpanFeed;
import dev.megacuration.curation.config.CurationConfig;
import dev.megacuration.curation.planning.CellStatus;
import dev.megacuration.curation.planning.UsageTable;
import dev.megacuration.curation.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads the analytics curation feed into a {@link UsageTable}. Time decay needs usage by age, and the feed
 * answers for a window, so the window is read in age buckets (last week, month, quarter, half-year, year,
 * older); a bucket's expands count with weight {@code 0.5^(age / half_life)}, giving a decayed weekly rate.
 * A cell below threshold in any bucket makes the span "used below threshold" (used, not unused); stale
 * reports are summed over published cells only, so a stale decision always rests on k or more deployments.
 */
@ApplicationScoped
public class UsageCollector {
    /** Bucket edges in days before today. */
    private static final int[] EDGES = {0, 7, 30, 90, 180, 365, 730, 1095};

    private final AnalyticsClient analytics;
    private final CurationConfig config;

    public UsageCollector(@RestClient AnalyticsClient analytics, CurationConfig config) {
        this.analytics = analytics;
        this.config = config;
    }

    /** One age bucket of the window: [from, to] inclusive, its weight and its length in weeks. */
    public record Bucket(LocalDate from, LocalDate to, double weight, double weeks) {
    }

    public static List<Bucket> buckets(LocalDate today, Policy policy) {
        List<Bucket> buckets = new ArrayList<>();
        for (int b = 0; b + 1 < EDGES.length && EDGES[b] < policy.windowDays(); b++) {
            int start = EDGES[b];
            int end = Math.min(EDGES[b + 1], policy.windowDays());
            double mid = (start + end) / 2.0;
            buckets.add(new Bucket(today.minusDays(end - 1L), today.minusDays(start),
                    Math.pow(0.5, mid / policy.halfLifeDays()), (end - start) / 7.0));
        }
        return buckets;
    }

    /** Decayed weekly rate from expands per bucket (the same formula the quality evaluation uses). */
    public static double weeklyRate(List<Bucket> buckets, double[] expandsPerBucket) {
        double weighted = 0;
        double weeks = 0;
        for (int b = 0; b < buckets.size(); b++) {
            weighted += buckets.get(b).weight() * expandsPerBucket[b];
            weeks += buckets.get(b).weight() * buckets.get(b).weeks();
        }
        return weighted / weeks;
    }

    public UsageTable collect(String tenant, String bundle, List<String> versions, long lod1, long lod2, Policy policy,
                              LocalDate today) {
        List<Bucket> buckets = buckets(today, policy);
        double weightedWeeks = buckets.stream().mapToDouble(b -> b.weight() * b.weeks()).sum();
        int[] sizes = {0, Math.toIntExact(lod1), Math.toIntExact(lod2)};
        double[][] weighted = {null, new double[sizes[1]], new double[sizes[2]]};
        byte[][] expand = {null, new byte[sizes[1]], new byte[sizes[2]]};
        byte[][] stale = {null, new byte[sizes[1]], new byte[sizes[2]]};
        long[][] reports = {null, new long[sizes[1]], new long[sizes[2]]};
        for (String version : versions) {
            for (Bucket bucket : buckets) {
                long offset = 0;
                long total;
                int size;
                do {
                    SpanFeed page = analytics.feed(tenant, bundle, version, bucket.from().toString(),
                            bucket.to().toString(), offset, config.feedPage());
                    total = page.total();
                    for (SpanFeed.Item item : page.spans()) {
                        int level = item.level();
                        if (level < 1 || level > 2 || item.index() >= sizes[level]) {
                            continue; // a span of a longer version than the one planned
                        }
                        int i = (int) item.index();
                        CellStatus e = CellStatus.fromFeed(item.expand().status());
                        if (e == CellStatus.PUBLISHED && item.expand().expands() != null) {
                            weighted[level][i] += bucket.weight() * item.expand().expands();
                        }
                        expand[level][i] = merge(expand[level][i], e);
                        CellStatus s = CellStatus.fromFeed(item.stale().status());
                        if (s == CellStatus.PUBLISHED && item.stale().reports() != null) {
                            reports[level][i] += item.stale().reports();
                        }
                        stale[level][i] = merge(stale[level][i], s);
                    }
                    size = page.spans().size();
                    offset += size;
                } while (offset < total && size > 0);
            }
        }
        UsageTable usage = new UsageTable(lod1, lod2);
        for (int level = 1; level <= 2; level++) {
            for (int i = 0; i < sizes[level]; i++) {
                usage.expand(level, i, status(expand[level][i]), weighted[level][i] / weightedWeeks);
                usage.stale(level, i, status(stale[level][i]), reports[level][i]);
            }
        }
        return usage;
    }

    /** Below threshold wins over published, published over none (0 none, 1 published, 2 below). */
    private static byte merge(byte seen, CellStatus status) {
        byte code = switch (status) {
            case NONE -> 0;
            case PUBLISHED -> 1;
            case BELOW_THRESHOLD -> 2;
        };
        return (byte) Math.max(seen, code);
    }

    private static CellStatus status(byte code) {
        return code == 2 ? CellStatus.BELOW_THRESHOLD : code == 1 ? CellStatus.PUBLISHED : CellStatus.NONE;
    }
}
