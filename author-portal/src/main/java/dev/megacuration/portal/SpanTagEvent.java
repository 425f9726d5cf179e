package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One change of a tag: the history of who tagged or untagged what, and when. */
@Entity
@Table(schema = "registry", name = "span_tag_event")
public class SpanTagEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "bundle_id", nullable = false)
    public Long bundleId;

    @Column(name = "span_id", nullable = false)
    public Long spanId;

    @Column(nullable = false)
    public String tag;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public boolean subtree;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public OffsetDateTime at;
}
