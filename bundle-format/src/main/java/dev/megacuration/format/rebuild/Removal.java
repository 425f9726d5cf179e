package dev.megacuration.format.rebuild;

import dev.megacuration.format.ArchivedRun;

/**
 * Entries one planned span takes out of the live release: {@code [first, first + count)} at {@code level}.
 * A compacted LOD1 span removes one LOD0 block; an archived one also its own gist; an LOD2 span the same
 * one level up (and its tokens).
 */
public record Removal(long spanId, ArchivedRun.Action action, int level, long first, long count) {
}
