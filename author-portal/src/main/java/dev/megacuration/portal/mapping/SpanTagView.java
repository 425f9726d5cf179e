package dev.megacuration.portal.mapping;

import dev.megacuration.portal.SpanTag;
import java.time.OffsetDateTime;

public record SpanTagView(long spanId, String tag, boolean subtree, String taggedBy, OffsetDateTime taggedAt) {

    public static SpanTagView of(SpanTag tag) {
        return new SpanTagView(tag.spanId, tag.tag, tag.subtree, tag.taggedBy, tag.taggedAt);
    }
}
