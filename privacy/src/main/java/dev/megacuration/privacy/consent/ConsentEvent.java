package dev.megacuration.privacy.consent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of the append-only consent ledger; never updated, never deleted by consent changes. */
@Entity
@Table(schema = "privacy", name = "consent_event")
public class ConsentEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String bundle;

    @Column(name = "opted_in", nullable = false)
    public boolean optedIn;

    @Column(name = "contract_version", nullable = false)
    public String contractVersion;

    @Column(name = "actor_subject", nullable = false)
    public String actorSubject;

    @Column(name = "recorded_at", nullable = false)
    public OffsetDateTime recordedAt;
}
