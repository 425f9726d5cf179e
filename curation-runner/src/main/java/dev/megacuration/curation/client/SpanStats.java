package dev.megacuration.curation.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The analytics API's answer for one bundle, as the runner reads it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpanStats(String tenant, String bundle, String version, String metric, int minDeployments,
                        List<Span> spans) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Span(long spanId, int level, long index, long expands, long staleReports, long deployments) {
    }
}
