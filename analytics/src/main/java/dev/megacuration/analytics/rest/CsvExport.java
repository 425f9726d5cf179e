package dev.megacuration.analytics.rest;

import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.analytics.mapping.SpanStatsResponse;

/** A ranking as CSV: the same published cells as the JSON answer, nothing more. */
final class CsvExport {
    private CsvExport() {
    }

    static String of(SpanStatsResponse page) {
        StringBuilder csv = new StringBuilder("span_id,level,index,reason,expands,collapses,stale_reports,deployments,"
                + "residency,swap_rate,delta_nll_p50,delta_nll_p90,last_seen\n");
        for (SpanStat span : page.spans()) {
            // Every field is a number, a date or a reason from a fixed vocabulary, so nothing needs quoting; an
            // unmeasured statistic is an empty field.
            csv.append(Long.toUnsignedString(span.spanId())).append(',').append(span.level()).append(',')
                    .append(span.index()).append(',').append(orEmpty(span.reason())).append(',')
                    .append(span.expands()).append(',').append(span.collapses()).append(',')
                    .append(span.staleReports()).append(',').append(span.deployments()).append(',')
                    .append(orEmpty(span.residency())).append(',').append(orEmpty(span.swapRate())).append(',')
                    .append(orEmpty(span.deltaNll() == null ? null : span.deltaNll().p50())).append(',')
                    .append(orEmpty(span.deltaNll() == null ? null : span.deltaNll().p90())).append(',')
                    .append(orEmpty(span.lastSeen())).append('\n');
        }
        return csv.toString();
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }
}
