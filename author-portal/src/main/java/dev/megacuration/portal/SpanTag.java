package dev.megacuration.portal;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** A tag on a span of a bundle (all its releases); with {@code subtree} it covers the span's descendants too. */
@Entity
@Table(schema = "registry", name = "span_tag")
@IdClass(SpanTag.Key.class)
public class SpanTag extends PanacheEntityBase {
    @Id
    @Column(name = "bundle_id")
    public Long bundleId;

    @Id
    @Column(name = "span_id")
    public Long spanId;

    @Id
    public String tag;

    @Column(nullable = false)
    public boolean subtree;

    @Column(name = "tagged_by", nullable = false)
    public String taggedBy;

    @Column(name = "tagged_at", nullable = false)
    public OffsetDateTime taggedAt;

    /** The composite primary key. */
    public static class Key implements Serializable {
        public Long bundleId;
        public Long spanId;
        public String tag;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(bundleId, k.bundleId) && Objects.equals(spanId, k.spanId)
                    && Objects.equals(tag, k.tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bundleId, spanId, tag);
        }
    }
}
