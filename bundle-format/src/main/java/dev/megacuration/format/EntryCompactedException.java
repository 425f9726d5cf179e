package dev.megacuration.format;

/** A read of an entry that a compacted release no longer holds (it was compacted or archived). */
public final class EntryCompactedException extends IllegalStateException {
    private final int level;
    private final long entry;

    public EntryCompactedException(int level, long entry) {
        super("LOD" + level + " entry " + entry + " is not in this release (compacted or archived)");
        this.level = level;
        this.entry = entry;
    }

    public int level() {
        return level;
    }

    public long entry() {
        return entry;
    }
}
