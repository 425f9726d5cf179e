package dev.megacuration.curation.planning;

import java.io.PrintWriter;
import java.util.Map;

/** The readable dry-run report of a plan, and the explain view of one span. */
public final class PlanReport {
    private PlanReport() {
    }

    public static void render(CurationPlan plan, int listLimit, PrintWriter out) {
        CurationPlan.Totals totals = plan.totals();
        out.printf("Curation plan %s for %s/%s@%s (dry run: nothing changed)%n", plan.planId(), plan.tenant(),
                plan.bundle(), plan.baseVersion());
        out.printf("Usage window %s .. %s; %d spans; live %s, saves %s (%.1f%%)%n", plan.windowFrom(), plan.windowTo(),
                totals.spans(), bytes(totals.liveBytesBefore()), bytes(totals.bytesSaved()),
                totals.liveBytesBefore() == 0 ? 0.0 : 100.0 * totals.bytesSaved() / totals.liveBytesBefore());
        out.println();
        out.printf("%-10s %10s %14s%n", "ACTION", "SPANS", "BYTES");
        for (Map.Entry<String, CurationPlan.Count> action : totals.byAction().entrySet()) {
            out.printf("%-10s %10d %14s%n", action.getKey(), action.getValue().spans(), bytes(action.getValue().bytes()));
        }
        section(out, "BY LEVEL", totals.byLevel());
        section(out, "BY TAG", totals.byTag());
        section(out, "BY REASON", totals.byReason());
        out.println();
        out.printf("%-9s %-12s %-8s %-24s %10s  %s%n", "ACTION", "SPAN", "EXPAND", "REASON", "BYTES", "TAGS");
        int shown = 0;
        for (PlannedSpan span : plan.changes()) {
            if (shown++ == listLimit) {
                out.printf("... %d more (all of them in plan.json; explain one with --explain ID)%n",
                        plan.changes().size() - listLimit);
                break;
            }
            out.printf("%-9s %-12s %-8s %-24s %10d  %s%n", span.action().label(), span.span(),
                    span.expandStatus().equals("published") ? String.format("%.2f/wk", span.weeklyExpands())
                            : span.expandStatus().replace("below_threshold", "<k"),
                    span.reason(), span.bytesSaved(), String.join(",", span.tags()));
        }
        out.flush();
    }

    public static void explain(PlannedSpan span, PrintWriter out) {
        out.printf("%s (id %s): %s, %s%n", span.span(), Long.toUnsignedString(span.spanId()), span.action().label(),
                span.reason());
        out.printf("  expand %s%s; stale %s%s; tags %s; bytes %d%n", span.expandStatus(),
                span.expandStatus().equals("published") ? String.format(" (%.2f/week, decayed)", span.weeklyExpands()) : "",
                span.staleStatus(), span.staleStatus().equals("published") ? " (" + span.staleReports() + " reports)" : "",
                span.tags().isEmpty() ? "none" : span.tags(), span.bytesSaved());
        int step = 1;
        for (String line : span.explain()) {
            out.printf("  %d. %s%n", step++, line);
        }
        out.flush();
    }

    private static void section(PrintWriter out, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println();
        out.println(title);
        counts.forEach((key, n) -> out.printf("  %-36s %10d%n", key, n));
    }

    static String bytes(long n) {
        if (Math.abs(n) < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
