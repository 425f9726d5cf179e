package dev.megacuration.analytics.rest;

import dev.megacuration.analytics.mapping.SpanStat;
import dev.megacuration.analytics.mapping.SpanStatsResponse;

/** A ranking as CSV: the same published cells as the JSON answer, nothing more. */
final class CsvExport {
    private CsvExport() {
    }

    static String of(SpanStatsResponse page) {
        StringBuilder csv = new StringBuilder("span_id,level,index,reason,expands,collapses,stale_reports,deployments\n");
        for (SpanStat span : page.spans()) {
            // Every field is a number or a reason from a fixed vocabulary, so nothing needs quoting.
            csv.append(Long.toUnsignedString(span.spanId())).append(',').append(span.level()).append(',')
                    .append(span.index()).append(',').append(span.reason() == null ? "" : span.reason()).append(',')
                    .append(span.expands()).append(',').append(span.collapses()).append(',')
                    .append(span.staleReports()).append(',').append(span.deployments()).append('\n');
        }
        return csv.toString();
    }
}
