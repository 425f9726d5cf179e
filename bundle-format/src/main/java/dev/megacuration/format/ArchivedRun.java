package dev.megacuration.format;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One run of entries a curation plan took out of the live release, as the archive file records it
 * (docs/ctx-format.md): enough to put the exact bytes back where they were.
 *
 * @param level       the level the entries came from (0 tokens, 1 or 2 gists)
 * @param action      why they left: compacted under a kept gist, archived, or deleted (kept until {@code deleteAfter})
 * @param spanId      the planned span whose action removed them; restore finds runs by it
 * @param first       first entry index at that level
 * @param count       entries in the run
 * @param deleteAfter when a deleted run may be dropped for good; null while it is kept indefinitely
 * @param planId      the plan that removed them
 * @param sha256      of the run's bytes, checked on every restore
 */
public record ArchivedRun(int level, Action action, long spanId, long first, long count, Instant deleteAfter,
                          UUID planId, byte[] sha256) {

    public enum Action {
        COMPACT(1), ARCHIVE(2), DELETE(3);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Action fromCode(int code) throws CtxFormatException {
            for (Action action : values()) {
                if (action.code == code) {
                    return action;
                }
            }
            throw new CtxFormatException("unknown archive action code " + code);
        }
    }

    public ArchivedRun {
        if (level < 0 || level > CtxHeader.MAX_LEVEL || first < 0 || count <= 0) {
            throw new IllegalArgumentException("bad archived run L" + level + " [" + first + ", +" + count + ")");
        }
    }

    public BlockIndex.Run run() {
        return new BlockIndex.Run(first, count);
    }

    /** Whether retention has passed for a deleted run. */
    public boolean expired(Instant now) {
        return deleteAfter != null && !now.isBefore(deleteAfter);
    }

    public ArchivedRun withSha256(byte[] digest) {
        return new ArchivedRun(level, action, spanId, first, count, deleteAfter, planId, digest);
    }

    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }
}
