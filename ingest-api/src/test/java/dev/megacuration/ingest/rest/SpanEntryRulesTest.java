package dev.megacuration.ingest.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SpanEntryRules} against the constraints declared on the entry records: for thousands of entries,
 * valid and broken in every way, Bean Validation run on each entry and the hand-written rules run on the
 * report must name the same fields with the same messages.
 */
class SpanEntryRulesTest {
    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        // The default interpolator, with expression language, as the service's Bean Validation has it.
        factory = Validation.buildDefaultValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void theRulesAgreeWithTheDeclaredConstraintsOnEveryKindOfEntry() {
        SplittableRandom random = new SplittableRandom(7);
        int broken = 0;
        for (int n = 0; n < 20_000; n++) {
            List<UsageReport.SpanEntry> spans = new ArrayList<>();
            List<UsageReport.SpanStale> stale = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                spans.add(entry(random));
            }
            for (int i = random.nextInt(3); i > 0; i--) {
                stale.add(new UsageReport.SpanStale(pick(random, SPAN_IDS), pick(random, REASONS)));
            }
            Set<String> declared = new TreeSet<>();
            for (int i = 0; i < spans.size(); i++) {
                declared.addAll(described("spans[" + i + "].", validator.validate(spans.get(i))));
            }
            for (int i = 0; i < stale.size(); i++) {
                declared.addAll(described("stale[" + i + "].", validator.validate(stale.get(i))));
            }
            Set<String> checked = described("", validator.validate(report(spans, stale)));
            assertEquals(declared, checked, "entries " + spans + " " + stale);
            broken += declared.isEmpty() ? 0 : 1;
        }
        assertTrue(broken > 5_000 && broken < 19_000, "both valid and broken entries were tried: " + broken);
    }

    @Test
    void aMissingEntryIsNamedByItsIndex() {
        List<UsageReport.SpanEntry> spans = new ArrayList<>(Arrays.asList(valid(), null));
        List<UsageReport.SpanStale> stale = new ArrayList<>();
        stale.add(null);
        assertEquals(Set.of("spans[1]: must not be null", "stale[0]: must not be null"),
                described("", validator.validate(report(spans, stale))));
    }

    @Test
    void aValidReportHasNoViolation() {
        assertEquals(Set.of(), described("", validator.validate(report(List.of(valid()),
                List.of(new UsageReport.SpanStale(String.valueOf((2L << 56) | 3), "outdated"))))));
    }

    private static final String[] SPAN_IDS = {String.valueOf((1L << 56) | 5), String.valueOf((2L << 56) | 9),
            "5", String.valueOf((3L << 56) | 1), "99999999999999999999", "999999999999999999999", "", "12a", "-1",
            "1e5", null, "18446744073709551615", String.valueOf((1L << 56) | 0xFFFFFFFFFFFFL)};
    private static final String[] REASONS = {"outdated", "wrong", "irrelevant", "other", "", " ", null, "stale",
            "OUTDATED", "outdated|wrong"};
    private static final Double[] FRACTIONS = {null, 0.0, 0.5, 1.0, 1.0000001, -0.0, -1e-9, 999.0, 1000.0, 1000.5,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private static final Long[] LONGS = {null, 0L, 1L, -1L, 1_000_000_000_000L, 1_000_000_000_001L,
            9_007_199_254_740_991L, 9_007_199_254_740_992L, Long.MIN_VALUE};
    private static final int[] COUNTS = {0, 1, 7, -1, 1_000_000_000, 1_000_000_001, Integer.MIN_VALUE};

    private static UsageReport.SpanEntry entry(SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            return valid();
        }
        UsageReport.DeltaNll nll = switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> new UsageReport.DeltaNll(null, null);
            case 2 -> new UsageReport.DeltaNll(pick(random, new Double[] {-100.0, -100.5, 100.0, 100.1, 0.3}), 64);
            case 3 -> new UsageReport.DeltaNll(0.2, pick(random, new Integer[] {63, 64, 128, 129, null}));
            default -> new UsageReport.DeltaNll(0.1, 96);
        };
        return new UsageReport.SpanEntry(pick(random, SPAN_IDS), COUNTS[random.nextInt(COUNTS.length)],
                COUNTS[random.nextInt(COUNTS.length)], pick(random, FRACTIONS), pick(random, FRACTIONS), nll,
                pick(random, LONGS), pick(random, LONGS));
    }

    private static UsageReport.SpanEntry valid() {
        return new UsageReport.SpanEntry(String.valueOf((1L << 56) | 5), 3, 1, 0.5, 0.1,
                new UsageReport.DeltaNll(0.2, 64), 10L, 4L);
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static UsageReport report(List<UsageReport.SpanEntry> spans, List<UsageReport.SpanStale> stale) {
        Instant start = Instant.parse("2026-11-26T00:00:00Z");
        return new UsageReport(UUID.fromString("0192f6e1-4c2a-7cc3-9a51-2f6f6b2a1c11"), "acme", "bundle", "1.0.0",
                start, start.plusSeconds(3600), spans, stale);
    }

    private static <T> Set<String> described(String prefix, Set<ConstraintViolation<T>> violations) {
        return violations.stream().map(v -> prefix + v.getPropertyPath() + ": " + v.getMessage())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
