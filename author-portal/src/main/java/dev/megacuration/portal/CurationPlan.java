package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A curation plan of one bundle release and its review: proposed, decided, applied, maybe rolled back. */
@Entity
@Table(schema = "registry", name = "curation_plan")
public class CurationPlan extends PanacheEntityBase {
    public static final String PROPOSED = "proposed";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String APPLYING = "applying";
    public static final String APPLIED = "applied";
    public static final String ROLLED_BACK = "rolled_back";

    @Id
    public UUID id;

    @Column(name = "bundle_id", nullable = false)
    public Long bundleId;

    @Column(name = "base_release_id", nullable = false)
    public Long baseReleaseId;

    /** {@code curation} (a policy's plan) or {@code restore} (spans brought back from the archive). */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String document;

    @Column(name = "document_sha256", nullable = false)
    public String documentSha256;

    @Column(name = "spans_changed", nullable = false)
    public long spansChanged;

    @Column(name = "bytes_saved", nullable = false)
    public long bytesSaved;

    @Column(name = "has_deletes", nullable = false)
    public boolean hasDeletes;

    @Column(nullable = false)
    public boolean paranoia;

    @Column(name = "proposed_by", nullable = false)
    public String proposedBy;

    @Column(name = "proposed_at", nullable = false)
    public OffsetDateTime proposedAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_by_person")
    public Boolean decidedByPerson;

    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;

    @Column(name = "decision_comment")
    public String decisionComment;

    @Column(name = "result_release_id")
    public Long resultReleaseId;

    @Column(name = "result_version")
    public String resultVersion;

    @Column(name = "applied_at")
    public OffsetDateTime appliedAt;

    @Column(name = "rolled_back_by")
    public String rolledBackBy;

    @Column(name = "rolled_back_at")
    public OffsetDateTime rolledBackAt;
}
