package dev.megacuration.portal.mapping;

import dev.megacuration.portal.BundleRelease;
import java.time.OffsetDateTime;

public record ReleaseView(String version, String modelName, int embeddingDim, long numTokens, String lod0Sha256,
                          String lod1Sha256, String lod2Sha256, String provenance, OffsetDateTime createdAt) {

    public static ReleaseView of(BundleRelease release) {
        return new ReleaseView(release.version, release.modelName, release.embeddingDim, release.numTokens,
                release.lod0Sha256, release.lod1Sha256, release.lod2Sha256, release.provenance, release.createdAt);
    }
}
