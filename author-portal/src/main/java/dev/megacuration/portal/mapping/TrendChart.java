package dev.megacuration.portal.mapping;

import dev.megacuration.portal.client.Trend;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A trend drawn as server-rendered SVG bars: the geometry is computed here so the template only places
 * rectangles, and the page needs no script. A published bucket is a bar to scale; a bucket with fewer
 * than k deployments is a short grey mark titled so ("fewer than k deployments"), never a zero.
 */
public record TrendChart(String label, int width, int height, long max, List<Bar> bars, String firstDay,
                         String lastDay, int published, int belowThreshold, int minDeployments, String bucket) {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 140;
    private static final int MARK = 4;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** One bucket: its rectangle and its tooltip; kind is published, below-threshold or none. */
    public record Bar(int x, int y, int width, int height, String kind, String title) {
    }

    public static TrendChart of(String label, Trend trend) {
        List<Trend.Point> points = trend.points();
        long max = points.stream().map(Trend.Point::value).filter(v -> v != null).mapToLong(Long::longValue).max()
                .orElse(0);
        int n = Math.max(1, points.size());
        int slot = Math.max(1, WIDTH / n);
        int barWidth = Math.max(1, slot - (slot > 4 ? 2 : 0));
        List<Bar> bars = new ArrayList<>();
        int published = 0;
        int below = 0;
        for (int i = 0; i < points.size(); i++) {
            Trend.Point point = points.get(i);
            String when = DAY.format(point.start());
            int x = i * slot;
            if ("published".equals(point.status()) && point.value() != null) {
                int h = max == 0 ? 0 : (int) Math.max(1, Math.round((double) point.value() / max * (HEIGHT - MARK)));
                bars.add(new Bar(x, HEIGHT - h, barWidth, h, "published",
                        when + ": " + point.value() + " " + trend.metric() + " from " + point.deployments()
                                + " deployments"));
                published++;
            } else if ("below_threshold".equals(point.status())) {
                bars.add(new Bar(x, HEIGHT - MARK, barWidth, MARK, "below-threshold",
                        when + ": fewer than " + trend.minDeployments() + " deployments"));
                below++;
            }
        }
        String first = points.isEmpty() ? "" : DAY.format(points.get(0).start());
        String last = points.isEmpty() ? "" : DAY.format(points.get(points.size() - 1).start());
        return new TrendChart(label, WIDTH, HEIGHT, max, List.copyOf(bars), first, last, published, below,
                trend.minDeployments(), trend.bucket());
    }
}
