package dev.megacuration.privacy.tier;

/** Time buckets of a trend, finest first. Every bucket is aligned to UTC (weeks start on Monday). */
public enum Bucket {
    HOUR, DAY, WEEK;

    public boolean finerThan(Bucket other) {
        return ordinal() < other.ordinal();
    }
}
