package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One line of the curation audit log; written once, never updated. */
@Entity
@Table(schema = "registry", name = "curation_event")
public class CurationEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "bundle_id", nullable = false)
    public Long bundleId;

    @Column(name = "plan_id")
    public UUID planId;

    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String action;

    @Column(name = "span_id")
    public Long spanId;

    @Column(name = "old_state")
    public String oldState;

    @Column(name = "new_state")
    public String newState;

    @Column(name = "release_version")
    public String releaseVersion;

    @Column(name = "old_sha256")
    public String oldSha256;

    @Column(name = "new_sha256")
    public String newSha256;

    public String detail;
}
