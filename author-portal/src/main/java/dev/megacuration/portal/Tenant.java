package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An author organisation; its id is the {@code tenant} claim its members' tokens carry. */
@Entity
@Table(schema = "registry", name = "tenant")
public class Tenant extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
