package dev.megacuration.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a consenting deployment sends for one reporting window: how often each span was expanded, and
 * which spans it marked stale. Span ids are (level << 56) | index, sent as unsigned decimal numbers.
 */
public record UsageReport(
        @NotNull UUID reportId,
        @NotBlank @Pattern(regexp = SLUG) String tenant,
        @NotBlank @Pattern(regexp = SLUG) String bundle,
        @NotBlank @Size(max = 64) String version,
        @NotNull Instant windowStart,
        @NotNull Instant windowEnd,
        @NotNull @Size(max = 10_000) List<@Valid @NotNull SpanExpand> expands,
        @NotNull @Size(max = 10_000) List<@Valid @NotNull SpanStale> stale) {

    public static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";

    @AssertTrue(message = "windowEnd must be after windowStart")
    public boolean isWindowOrdered() {
        return windowStart == null || windowEnd == null || windowEnd.isAfter(windowStart);
    }

    @AssertTrue(message = "a report must carry at least one expand or stale entry")
    public boolean isNotEmpty() {
        return expands == null || stale == null || !(expands.isEmpty() && stale.isEmpty());
    }

    public record SpanExpand(@NotNull @PositiveOrZero Long spanId, @PositiveOrZero int count) {
    }

    public record SpanStale(@NotNull @PositiveOrZero Long spanId,
                            @NotBlank @Pattern(regexp = "outdated|wrong|irrelevant|other") String reason) {
    }
}
