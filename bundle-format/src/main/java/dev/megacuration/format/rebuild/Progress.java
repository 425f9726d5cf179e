package dev.megacuration.format.rebuild;

/** Told how far a rebuild is: payload bytes written so far of the total it will write. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    void update(long done, long total);
}
