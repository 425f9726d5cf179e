package dev.megacuration.analytics.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What analytics needs of a registered release: how many spans each gist level has (its own copy of the contract). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseShape(String version, long numTokens, long numLod1, long numLod2) {

    /** Every gist span of the release, LOD1 first. */
    public long spans() {
        return numLod1 + numLod2;
    }
}
