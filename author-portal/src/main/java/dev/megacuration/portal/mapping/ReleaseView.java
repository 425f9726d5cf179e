package dev.megacuration.portal.mapping;

import dev.megacuration.portal.BundleRelease;
import java.time.OffsetDateTime;

/** A release as the API shows it; the LOD1/LOD2 counts are null for releases registered without files. */
public record ReleaseView(String version, String modelName, int embeddingDim, long numTokens, Long numLod1,
                          Long numLod2, String lod0Sha256, String lod1Sha256, String lod2Sha256,
                          String metadataSha256, String provenance, String curationPlan, OffsetDateTime createdAt,
                          Integer formatVersion, String archiveSha256, OffsetDateTime withdrawnAt) {

    public static ReleaseView of(BundleRelease release) {
        return new ReleaseView(release.version, release.modelName, release.embeddingDim, release.numTokens,
                release.numLod1, release.numLod2, release.lod0Sha256, release.lod1Sha256, release.lod2Sha256,
                release.metadataSha256, release.provenance, release.curationPlan, release.createdAt,
                release.formatVersion, release.archiveSha256, release.withdrawnAt);
    }
}
