package dev.megacuration.ingest.rest;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.List;

/**
 * The per-entry constraints of a report, written out by hand. Bean Validation's cascade into each entry
 * built a path node, a validator context and a reachability entry per property of every entry: a third of
 * the edge's allocation and most of its validation time in the ingest benchmark (a 20-entry report checked
 * about 170 property constraints). This checks the same rules with no allocation on a valid report and
 * reports each broken one exactly as Bean Validation would (same field path, same message), so the problem
 * details do not change. The constraint annotations stay on the entry records: they document the rules in
 * the OpenAPI schema, and {@code SpanEntryRulesTest} holds this class to them.
 */
public class SpanEntryRules implements ConstraintValidator<ValidSpanEntries, UsageReport> {
    private static final long MAX_COUNT = 1_000_000_000L;
    private static final long MAX_ACCESS_STEP = 9_007_199_254_740_991L;
    private static final long MAX_ACCESS_COUNT = 1_000_000_000_000L;
    private static final List<String> STALE_REASONS = List.of(UsageReport.STALE_REASON.split("\\|"));
    private static final String NOT_NULL = "must not be null";
    private static final String NOT_BLANK = "must not be blank";
    private static final String GIST_SPAN = "must be a level 1 or 2 span id, (level << 56) | index";
    private static final String SPAN_ID_PATTERN = "must match \"" + UsageReport.SPAN_ID + "\"";
    private static final String REASON_PATTERN = "must match \"" + UsageReport.STALE_REASON + "\"";

    @Override
    public boolean isValid(UsageReport report, ConstraintValidatorContext context) {
        if (report == null) {
            return true;
        }
        Violations violations = new Violations(context);
        List<UsageReport.SpanEntry> spans = report.spans();
        if (spans != null && spans.size() <= UsageReport.MAX_SPANS) {
            for (int i = 0; i < spans.size(); i++) {
                check(spans.get(i), i, violations);
            }
        }
        List<UsageReport.SpanStale> stale = report.stale();
        if (stale != null && stale.size() <= UsageReport.MAX_SPANS) {
            for (int i = 0; i < stale.size(); i++) {
                check(stale.get(i), i, violations);
            }
        }
        return violations.none();
    }

    private static void check(UsageReport.SpanEntry entry, int i, Violations violations) {
        if (entry == null) {
            violations.element("spans", i, NOT_NULL);
            return;
        }
        checkSpanId(entry.spanId(), "spans", i, violations);
        range(entry.expands(), 0, MAX_COUNT, "spans", i, "expands", violations);
        range(entry.collapses(), 0, MAX_COUNT, "spans", i, "collapses", violations);
        range(entry.residency(), 0, 1, "spans", i, "residency", violations);
        range(entry.swapRate(), 0, 1000, "spans", i, "swapRate", violations);
        if (entry.lastAccessStep() != null) {
            range(entry.lastAccessStep(), 0, MAX_ACCESS_STEP, "spans", i, "lastAccessStep", violations);
        }
        if (entry.accessCount() != null) {
            range(entry.accessCount(), 0, MAX_ACCESS_COUNT, "spans", i, "accessCount", violations);
        }
        UsageReport.DeltaNll nll = entry.deltaNll();
        if (nll != null) {
            if (nll.value() == null) {
                violations.nested("spans", i, "deltaNll", "value", NOT_NULL);
            } else if (nll.value() < -100 || nll.value() > 100) {
                violations.nested("spans", i, "deltaNll", "value", nll.value() < -100
                        ? "must be greater than or equal to -100" : "must be less than or equal to 100");
            }
            if (nll.horizon() == null) {
                violations.nested("spans", i, "deltaNll", "horizon", NOT_NULL);
            } else if (nll.horizon() < 64 || nll.horizon() > 128) {
                violations.nested("spans", i, "deltaNll", "horizon", nll.horizon() < 64
                        ? "must be greater than or equal to 64" : "must be less than or equal to 128");
            }
        }
    }

    private static void check(UsageReport.SpanStale stale, int i, Violations violations) {
        if (stale == null) {
            violations.element("stale", i, NOT_NULL);
            return;
        }
        checkSpanId(stale.spanId(), "stale", i, violations);
        String reason = stale.reason();
        if (reason == null || reason.isBlank()) {
            violations.property("stale", i, "reason", NOT_BLANK);
        }
        if (reason != null && !STALE_REASONS.contains(reason)) {
            violations.property("stale", i, "reason", REASON_PATTERN);
        }
    }

    /** {@code @NotNull @Pattern([0-9]{1,20})} on the id and the entry's {@code isGistSpan()}. */
    private static void checkSpanId(String spanId, String list, int i, Violations violations) {
        if (spanId == null) {
            violations.property(list, i, "spanId", NOT_NULL);
        } else if (!isDecimalSpanId(spanId)) {
            violations.property(list, i, "spanId", SPAN_ID_PATTERN);
        } else if (!UsageReport.isGistSpanId(spanId)) {
            violations.property(list, i, "gistSpan", GIST_SPAN);
        }
    }

    /** {@link UsageReport#SPAN_ID} without a regular expression: 1 to 20 ASCII digits. */
    static boolean isDecimalSpanId(String spanId) {
        int length = spanId.length();
        if (length == 0 || length > 20) {
            return false;
        }
        for (int c = 0; c < length; c++) {
            char digit = spanId.charAt(c);
            if (digit < '0' || digit > '9') {
                return false;
            }
        }
        return true;
    }

    private static void range(long value, long min, long max, String list, int i, String field, Violations violations) {
        if (value < min) {
            violations.property(list, i, field, "must be greater than or equal to " + min);
        } else if (value > max) {
            violations.property(list, i, field, "must be less than or equal to " + max);
        }
    }

    /** {@code @DecimalMin @DecimalMax} on an optional number (null is valid, as Bean Validation has it). */
    private static void range(Double value, int min, int max, String list, int i, String field, Violations violations) {
        if (value == null) {
            return;
        }
        if (value < min) {
            violations.property(list, i, field, "must be greater than or equal to " + min);
        } else if (value > max) {
            violations.property(list, i, field, "must be less than or equal to " + max);
        }
    }

    /** Reports broken rules on the paths Bean Validation's cascade gave them ({@code spans[3].expands}). */
    private static final class Violations {
        private final ConstraintValidatorContext context;
        private boolean any;

        Violations(ConstraintValidatorContext context) {
            this.context = context;
        }

        boolean none() {
            return !any;
        }

        void property(String list, int index, String field, String message) {
            start(message).addPropertyNode(list).addPropertyNode(field).inIterable().atIndex(index)
                    .addConstraintViolation();
        }

        void nested(String list, int index, String field, String nested, String message) {
            start(message).addPropertyNode(list).addPropertyNode(field).inIterable().atIndex(index)
                    .addPropertyNode(nested).addConstraintViolation();
        }

        void element(String list, int index, String message) {
            start(message).addPropertyNode(list).addBeanNode().inIterable().atIndex(index).addConstraintViolation();
        }

        private ConstraintValidatorContext.ConstraintViolationBuilder start(String message) {
            if (!any) {
                context.disableDefaultConstraintViolation();
                any = true;
            }
            return context.buildConstraintViolationWithTemplate(escape(message));
        }

        /** Messages are templates: braces, dollar signs and backslashes in the text stand for themselves. */
        private static String escape(String message) {
            return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
