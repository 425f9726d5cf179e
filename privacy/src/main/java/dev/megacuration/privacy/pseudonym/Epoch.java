package dev.megacuration.privacy.pseudonym;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Pseudonym keys rotate every calendar quarter (UTC). Quarters are unions of whole days, and the
 * disclosure rules judge k on hours and days, so a rotation never splits a piece.
 */
public final class Epoch {
    private Epoch() {
    }

    public static String of(Instant at) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        return utc.getYear() + "-Q" + ((utc.getMonthValue() - 1) / 3 + 1);
    }
}
