package dev.megacuration.curation.planning;

import dev.megacuration.format.SpanId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The bundle's tags: on a span, or on a span and everything under it (subtree tags). */
public final class SpanTags {
    private final Map<Long, Set<String>> own = new HashMap<>();
    private final Map<Long, Set<String>> subtree = new HashMap<>();

    public SpanTags add(long spanId, String tag, boolean coversSubtree) {
        (coversSubtree ? subtree : own).computeIfAbsent(spanId, id -> new HashSet<>()).add(tag);
        return this;
    }

    /** Tags that apply to a span: its own, and the subtree tags of it and of its ancestors. */
    public Set<String> of(int level, long index) {
        if (own.isEmpty() && subtree.isEmpty()) {
            return Set.of();
        }
        Set<String> tags = new HashSet<>(own.getOrDefault(SpanId.of(level, index), Set.of()));
        for (int l = level; l <= 2; l++) {
            tags.addAll(subtree.getOrDefault(SpanId.of(l, index >> (5 * (l - level))), Set.of()));
        }
        return tags;
    }

    public boolean isEmpty() {
        return own.isEmpty() && subtree.isEmpty();
    }
}
