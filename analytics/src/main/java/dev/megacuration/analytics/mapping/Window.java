package dev.megacuration.analytics.mapping;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A query window of whole UTC days, both ends included. */
public record Window(LocalDate from, LocalDate to) {

    public Window {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant endExclusive() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
