package dev.megacuration.curation.quality;

/**
 * The synthetic usage of a decade-long bundle history (curation-runner/README.md, "Quality evaluation").
 *
 * @param weeks             length of the history
 * @param initialPartitions LOD2 spans (1,024 tokens each) at the start
 * @param partitionsPerWeek LOD2 spans the author appends each week (the corpus grows)
 * @param deployments       consenting deployments reporting usage
 * @param k                 the privacy threshold (distinct deployments per published cell)
 * @param hotShare          share of new LOD1 spans used recurrently (weekly, for a lifetime)
 * @param hotRate           mean expands per week of a hot span (lognormal around it)
 * @param hotLifetimeWeeks  mean weeks a hot span stays hot (exponential), then it goes quiet
 * @param warmShare         share of new spans used for a while after they appear, then decaying
 * @param warmRate          their expands per week at first
 * @param warmHalfLifeWeeks how fast that fades
 * @param revivalPerWeek    chance per week that a quiet span becomes hot again (usage shifts)
 * @param audienceMin       fewest deployments a used span's expands come from (smaller: more cells under k)
 * @param audienceMax       most deployments a used span's expands come from
 * @param burstiness        chance that a week's expands of a span all come on one day from one or two deployments
 * @param staleShare        share of spans that become outdated at some point (reported stale, then unused)
 * @param protectedShare    share of partitions the author tags protected (subtree)
 * @param curateEveryWeeks  how often the policy runs
 */
public record UsageModel(String name, int weeks, int initialPartitions, int partitionsPerWeek, int deployments, int k,
                         double hotShare, double hotRate, double hotLifetimeWeeks, double warmShare, double warmRate,
                         double warmHalfLifeWeeks, double revivalPerWeek, int audienceMin, int audienceMax,
                         double burstiness, double staleShare, double protectedShare, int curateEveryWeeks) {

    /** The documented default. */
    public static UsageModel standard() {
        return new UsageModel("default", 520, 64, 2, 40, 5, 0.06, 3.0, 150, 0.20, 1.0, 6, 0.0002, 5, 40, 0.1, 0.03,
                0.02, 4);
    }

    /** Harsher: usage comes in bursts (one day, one or two deployments), so fewer cells reach k. */
    public static UsageModel bursty() {
        UsageModel d = standard();
        return new UsageModel("bursty", d.weeks, d.initialPartitions, d.partitionsPerWeek, d.deployments, d.k,
                d.hotShare, d.hotRate, d.hotLifetimeWeeks / 2, d.warmShare, d.warmRate, d.warmHalfLifeWeeks,
                d.revivalPerWeek * 3, d.audienceMin, d.audienceMax, 0.6, d.staleShare, d.protectedShare,
                d.curateEveryWeeks);
    }

    /** Harsher: small audiences, so many spans are used by fewer than k deployments (below threshold). */
    public static UsageModel sparse() {
        UsageModel d = standard();
        return new UsageModel("sparse", d.weeks, d.initialPartitions, d.partitionsPerWeek, 20, d.k, d.hotShare,
                d.hotRate, d.hotLifetimeWeeks, d.warmShare, d.warmRate, d.warmHalfLifeWeeks, d.revivalPerWeek, 1, 8,
                d.burstiness, d.staleShare, d.protectedShare, d.curateEveryWeeks);
    }
}
