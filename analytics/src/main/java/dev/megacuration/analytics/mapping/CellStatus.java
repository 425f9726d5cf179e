package dev.megacuration.analytics.mapping;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a reader may know about a cell. Suppressed is not zero: {@code below_threshold} means 1 to k-1
 * deployments contributed (the count is never given), {@code none} that nobody did.
 */
public enum CellStatus {
    PUBLISHED, BELOW_THRESHOLD, NONE;

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }
}
