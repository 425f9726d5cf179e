package dev.megacuration.privacy.tier;

/** What a request may ask for beyond the basics; each names the cheapest tier that includes it. */
public enum Feature {
    FULL_SPAN_LIST("every span above threshold, not only the top 20"),
    DAILY_BUCKETS("daily buckets"),
    HOURLY_BUCKETS("hourly buckets"),
    LONG_WINDOW("a window reaching further back"),
    EXPORT("CSV and JSON export"),
    API_TOKENS("API tokens"),
    VERSION_BREAKDOWN("per-version breakdowns"),
    STALE_REASONS("stale reasons per span"),
    CURATION("the per-span feed for curation");

    private final String description;

    Feature(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
