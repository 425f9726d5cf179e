package dev.megacuration.ingest.rest;

import dev.megacuration.format.SpanId;
import dev.megacuration.format.store.ReleaseKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a consenting deployment sends for one reporting window (at most 24 hours): per-span allocator
 * statistics and stale marks. Span ids are {@code (level << 56) | index} as decimal strings (ids of level 1
 * and up exceed what a JSON number holds exactly); only levels 1 and 2 are valid, as only gists are
 * expanded. Every number is bounded and no field takes free text.
 *
 * <p>The constraints on the entry records are checked by {@link SpanEntryRules} (the class-level
 * {@link ValidSpanEntries}), not by cascading into every entry; they are declared here all the same, as the
 * contract the OpenAPI schema shows and the rules are tested against.
 */
@ValidSpanEntries
public record UsageReport(
        @NotNull UUID reportId,
        @NotBlank @Pattern(regexp = SLUG) String tenant,
        @NotBlank @Pattern(regexp = SLUG) String bundle,
        @NotBlank @Pattern(regexp = VERSION) String version,
        @NotNull Instant windowStart,
        @NotNull Instant windowEnd,
        @NotNull @Size(max = MAX_SPANS) List<SpanEntry> spans,
        @NotNull @Size(max = MAX_SPANS) List<SpanStale> stale) {

    public static final String SLUG = ReleaseKey.SLUG;
    public static final String VERSION = ReleaseKey.VERSION;
    public static final String SPAN_ID = "[0-9]{1,20}";
    /** The reasons a stale mark may give. */
    public static final String STALE_REASON = "outdated|wrong|irrelevant|other";
    public static final int MAX_SPANS = 10_000;
    public static final Duration MAX_WINDOW = Duration.ofHours(24);

    @AssertTrue(message = "must be a random UUID (version 4 or 7); version 1 carries a MAC address")
    public boolean isReportIdRandom() {
        return reportId == null || reportId.version() == 4 || reportId.version() == 7;
    }

    @AssertTrue(message = "windowEnd must be after windowStart and at most 24 hours later")
    public boolean isWindowValid() {
        return windowStart == null || windowEnd == null
                || windowEnd.isAfter(windowStart) && !windowEnd.isAfter(windowStart.plus(MAX_WINDOW));
    }

    @AssertTrue(message = "a report must carry at least one span entry or stale mark")
    public boolean isNotEmpty() {
        return spans == null || stale == null || !(spans.isEmpty() && stale.isEmpty());
    }

    /** One span's allocator statistics over the window. */
    public record SpanEntry(
            @NotNull @Pattern(regexp = SPAN_ID) String spanId,
            @Min(0) @Max(1_000_000_000) int expands,
            @Min(0) @Max(1_000_000_000) int collapses,
            @DecimalMin("0") @DecimalMax("1") Double residency,
            @DecimalMin("0") @DecimalMax("1000") Double swapRate,
            @Valid DeltaNll deltaNll,
            @Min(0) @Max(9_007_199_254_740_991L) Long lastAccessStep,
            @Min(0) @Max(1_000_000_000_000L) Long accessCount) {

        @AssertTrue(message = "must be a level 1 or 2 span id, (level << 56) | index")
        public boolean isGistSpan() {
            return spanId == null || !SpanEntryRules.isDecimalSpanId(spanId) || isGistSpanId(spanId);
        }
    }

    /** The loss change when the gist replaces the tokens, over a horizon of 64 to 128 tokens. */
    public record DeltaNll(@NotNull @DecimalMin("-100") @DecimalMax("100") Double value,
                           @NotNull @Min(64) @Max(128) Integer horizon) {
    }

    /** A consumer marked the span outdated, wrong or irrelevant. */
    public record SpanStale(@NotNull @Pattern(regexp = SPAN_ID) String spanId,
                            @NotBlank @Pattern(regexp = STALE_REASON) String reason) {

        @AssertTrue(message = "must be a level 1 or 2 span id, (level << 56) | index")
        public boolean isGistSpan() {
            return spanId == null || !SpanEntryRules.isDecimalSpanId(spanId) || isGistSpanId(spanId);
        }
    }

    /** Parses an unsigned decimal span id; only called on ids that passed validation. */
    public static long spanIdOf(String decimal) {
        return Long.parseUnsignedLong(decimal);
    }

    static boolean isGistSpanId(String decimal) {
        try {
            long id = spanIdOf(decimal);
            return SpanId.isValid(id) && SpanId.level(id) >= 1;
        } catch (NumberFormatException tooLarge) {
            return false;
        }
    }
}
