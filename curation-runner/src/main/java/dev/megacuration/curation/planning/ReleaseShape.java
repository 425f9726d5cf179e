package dev.megacuration.curation.planning;

import dev.megacuration.format.BlockIndex;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.CtxHeader;

/**
 * The release a plan starts from: which entries each level still holds, and the size of a gist.
 * {@code present[0]} is LOD0 (tokens), {@code present[1]} LOD1 gists, {@code present[2]} LOD2 gists.
 */
public record ReleaseShape(String version, int gistBytes, BlockIndex[] present) {
    public static final int TOKEN_BYTES = 4;
    public static final int K = CtxHeader.BLOCK_SIZE;

    public static ReleaseShape of(String version, BundleFiles.Verified release) {
        return new ReleaseShape(version, release.levels().get(1).header().entryBytes(), new BlockIndex[] {
                release.levels().get(0).index(), release.levels().get(1).index(), release.levels().get(2).index()});
    }

    /** A dense release of {@code tokens} tokens (every entry present). */
    public static ReleaseShape dense(String version, long tokens, int gistBytes) {
        return new ReleaseShape(version, gistBytes, new BlockIndex[] {BlockIndex.dense(tokens),
                BlockIndex.dense(tokens / K), BlockIndex.dense(tokens / K / K)});
    }

    public long tokens() {
        return present[0].numEntries();
    }

    public long spans(int level) {
        return present[level].numEntries();
    }

    public int entryBytes(int level) {
        return level == 0 ? TOKEN_BYTES : gistBytes;
    }

    /** Whether LOD1 span i still has its tokens. */
    public boolean hasDetail(int level, long index) {
        long span = (long) K;
        return level == 1 ? present[0].isPresent(index * span, span) : present[1].isPresent(index * span, span);
    }

    public boolean hasGist(int level, long index) {
        return present[level].isPresent(index);
    }

    /** Live bytes of one partition (LOD2 span j): its tokens, LOD1 gists and own gist still present. */
    public long partitionBytes(long j) {
        long tokens = present[0].presentIn(j * K * K, Math.min(K * K, tokens() - j * K * K));
        long gists = present[1].presentIn(j * K, Math.min(K, spans(1) - j * K));
        return tokens * TOKEN_BYTES + (gists + (present[2].isPresent(j) ? 1 : 0)) * (long) gistBytes;
    }
}
