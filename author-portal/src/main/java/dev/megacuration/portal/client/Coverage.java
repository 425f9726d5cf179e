package dev.megacuration.portal.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.LocalDate;

/** How much of a release its users touch (the analytics summary of one version). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Coverage(String version, String tier, int minDeployments, LocalDate from, LocalDate to, Level lod1,
                       Level lod2, long bytesBehindNeverExpanded) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Level(long spans, long expanded, long belowThreshold, long neverExpanded, double expandedShare,
                        double neverExpandedShare) {
    }
}
