package dev.megacuration.ingest.rest;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every span entry and stale mark of a report obeys the constraints declared on {@link UsageReport.SpanEntry},
 * {@link UsageReport.DeltaNll} and {@link UsageReport.SpanStale}; checked by {@link SpanEntryRules}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = SpanEntryRules.class)
public @interface ValidSpanEntries {
    String message() default "invalid span entry";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
