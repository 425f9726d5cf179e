package dev.megacuration.privacy.consent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A consumer's running deployment of bundles; the unit that consents and is pseudonymized. */
@Entity
@Table(schema = "privacy", name = "deployment")
public class Deployment extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "owner_subject", nullable = false)
    public String ownerSubject;

    @Column(nullable = false)
    public String name;

    @Column(name = "ingest_key_hash", nullable = false, unique = true)
    public String ingestKeyHash;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** Set when its owner asked for erasure: the credential stops working and nothing is accepted again. */
    @Column(name = "erased_at")
    public OffsetDateTime erasedAt;
}
