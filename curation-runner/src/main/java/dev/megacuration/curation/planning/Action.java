package dev.megacuration.curation.planning;

/**
 * What a plan does to a span. {@code COMPACT} drops its detail (the level below) under its kept gist;
 * {@code ARCHIVE} takes the gist and the detail out of the live release into the archive; {@code DELETE}
 * does the same with a retention clock, after which the archived copy is dropped; {@code RESTORE} brings a
 * span that is used again back from the archive.
 */
public enum Action {
    KEEP, COMPACT, ARCHIVE, DELETE, RESTORE;

    public boolean removes() {
        return this == COMPACT || this == ARCHIVE || this == DELETE;
    }

    public String label() {
        return name().toLowerCase();
    }
}
