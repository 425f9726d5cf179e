package dev.megacuration.ingest.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.megacuration.format.SpanId;

/** What ingest needs of a registered release: how many spans each level of its tree has. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseShape(String version, long numTokens, Long numLod1, Long numLod2) {

    /** Whether the span id names a node of this release's tree. */
    public boolean hasSpan(long spanId) {
        if (!SpanId.isValid(spanId)) {
            return false;
        }
        Long entries = switch (SpanId.level(spanId)) {
            case 0 -> numTokens;
            case 1 -> numLod1;
            default -> numLod2;
        };
        return entries != null && SpanId.index(spanId) < entries;
    }
}
