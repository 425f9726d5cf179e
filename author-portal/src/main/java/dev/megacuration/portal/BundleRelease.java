package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One immutable release of a bundle, with the checksums of its three .ctx files. */
@Entity
@Table(schema = "registry", name = "bundle_release")
public class BundleRelease extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "bundle_id", nullable = false)
    public Long bundleId;

    @Column(nullable = false)
    public String version;

    @Column(name = "model_name", nullable = false)
    public String modelName;

    @Column(name = "embedding_dim", nullable = false)
    public int embeddingDim;

    @Column(name = "num_tokens", nullable = false)
    public long numTokens;

    @Column(name = "lod0_sha256", nullable = false)
    public String lod0Sha256;

    @Column(name = "lod1_sha256", nullable = false)
    public String lod1Sha256;

    @Column(name = "lod2_sha256", nullable = false)
    public String lod2Sha256;

    @Column(nullable = false)
    public String provenance;

    @Column(name = "registered_by", nullable = false)
    public String registeredBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "format_version")
    public Integer formatVersion;

    @Column(name = "num_lod1")
    public Long numLod1;

    @Column(name = "num_lod2")
    public Long numLod2;

    @Column(name = "gist_bytes")
    public Integer gistBytes;

    @Column(name = "metadata_sha256")
    public String metadataSha256;

    @Column(name = "source_release_id")
    public Long sourceReleaseId;

    @Column(name = "curation_plan")
    public String curationPlan;

    /** Set when the plan that made this release was rolled back: kept for the audit trail, no longer current. */
    @Column(name = "withdrawn_at")
    public OffsetDateTime withdrawnAt;

    @Column(name = "archive_sha256")
    public String archiveSha256;

    /** Entries at a level of the tree: tokens at 0, gists at 1 and 2 (null for releases without files). */
    public Long entriesAt(int level) {
        return switch (level) {
            case 0 -> numTokens;
            case 1 -> numLod1;
            case 2 -> numLod2;
            default -> null;
        };
    }
}
