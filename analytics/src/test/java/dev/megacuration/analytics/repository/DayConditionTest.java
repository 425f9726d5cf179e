package dev.megacuration.analytics.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The day conditions written into statements (RollupTest checks what they select against raw rows). */
class DayConditionTest {
    private static final LocalDate FIRST = LocalDate.parse("2026-11-30");

    @Test
    void daysWithoutAGapAreTheirRangeAlone() {
        List<LocalDate> days = List.of(FIRST.plusDays(2), FIRST, FIRST.plusDays(1));
        assertEquals("(day >= '2026-11-30' AND day <= '2026-12-02')", DaySources.condition("day", days, false));
        assertEquals("(window_start >= toDateTime('2026-11-30', 'UTC') AND window_start < toDateTime('2026-12-03', "
                + "'UTC'))", DaySources.condition("window_start", days, true));
    }

    @Test
    void daysWithAGapKeepTheirList() {
        List<LocalDate> days = List.of(FIRST, FIRST.plusDays(2));
        assertEquals("(day >= '2026-11-30' AND day <= '2026-12-02' AND day IN ('2026-11-30','2026-12-02'))",
                DaySources.condition("day", days, false));
        assertEquals("(window_start >= toDateTime('2026-11-30', 'UTC') AND window_start < toDateTime('2026-12-03', "
                + "'UTC') AND toDate(window_start) IN ('2026-11-30','2026-12-02'))",
                DaySources.condition("window_start", days, true));
    }

    @Test
    void aRepeatedDayIsNotTakenForTheOneMissing() {
        List<LocalDate> days = List.of(FIRST, FIRST, FIRST.plusDays(2));
        assertEquals("(day >= '2026-11-30' AND day <= '2026-12-02' AND day IN ('2026-11-30','2026-11-30','2026-12-02'))",
                DaySources.condition("day", days, false));
        assertEquals("0", DaySources.condition("day", List.of(), false));
    }
}
