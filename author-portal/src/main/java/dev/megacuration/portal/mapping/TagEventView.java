package dev.megacuration.portal.mapping;

import dev.megacuration.portal.SpanTagEvent;
import java.time.OffsetDateTime;

public record TagEventView(long spanId, String tag, String action, boolean subtree, String actor, OffsetDateTime at) {

    public static TagEventView of(SpanTagEvent event) {
        return new TagEventView(event.spanId, event.tag, event.action, event.subtree, event.actor, event.at);
    }
}
