package dev.megacuration.analytics.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as ClickHouse DateTime text in UTC, for binding with {@code toDateTime(?, 'UTC')}: a JDBC
 * Timestamp would be rendered in the JVM's time zone.
 */
final class ClickHouseTime {
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private ClickHouseTime() {
    }

    static String utc(Instant instant) {
        return UTC_SECONDS.format(instant);
    }
}
