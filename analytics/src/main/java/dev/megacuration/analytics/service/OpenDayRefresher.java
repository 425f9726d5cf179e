package dev.megacuration.analytics.service;

import dev.megacuration.analytics.config.AnalyticsConfig;
import dev.megacuration.analytics.repository.OpenDayRepository;
import dev.megacuration.analytics.repository.PublishedCellRepository;
import dev.megacuration.analytics.repository.RollupRepository;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Keeps the stored pieces of open days current (see V008__open_day_pieces.sql): every {@code rollup.open-poll}
 * it adds the rows inserted since its last check (on a cluster: cuts the groups whose raw rows changed again),
 * and records the check that queries trust the pieces by. One instance of a deployment runs it, like the
 * builder; the others only read.
 */
@ApplicationScoped
public class OpenDayRefresher {
    private static final Logger LOG = Logger.getLogger(OpenDayRefresher.class);
    /** How far back before the first day not closable yet the pieces reach while the builder lags. */
    private static final int MAX_LAGGING_DAYS = 2;
    /** A check is recorded at least this often when nothing changed, well within the trust of queries. */
    private static final java.time.Duration IDLE_RECORD = java.time.Duration.ofSeconds(3);

    private final OpenDayRepository openDays;
    private final PublishedCellRepository cells;
    private final PrivacyThreshold threshold;
    private final AnalyticsConfig.Rollup config;
    private final Timer refreshTimer;
    private final Clock clock = Clock.systemUTC();
    private LocalDate droppedBefore;
    private Instant lastRecorded = Instant.EPOCH;
    /**
     * One node: through which raw block each stored open partition holds every row (null: read it from the
     * table at the next check), the k they were cut at, and the newest block the last check saw.
     */
    private Map<OpenDayRepository.Partition, Long> through;
    private int throughK;
    private long seenBlock = -1;

    public OpenDayRefresher(OpenDayRepository openDays, PublishedCellRepository cells, PrivacyThreshold threshold,
                            AnalyticsConfig config, MeterRegistry registry) {
        this.openDays = openDays;
        this.cells = cells;
        this.threshold = threshold;
        this.config = config.rollup();
        this.refreshTimer = Timer.builder("megacuration.rollup.open-refresh")
                .description("Cutting the changed groups of open days again").register(registry);
    }

    @Scheduled(every = "${megacuration.analytics.rollup.open-poll}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = RefresherDisabled.class)
    void scheduled() {
        try {
            // No rest between refreshes: a report waits for up to the refresh under way, the poll and the next
            // refresh, and a refresh costs about the leaves its new rows changed (all 32k spans of a bundle under
            // the soak: about 1 s). Resting twice a refresh's time after each, reports waited up to 7.7 s there,
            // resting half of it up to 6.5 s (deploy/bench/soak-results.md, 2026-12-07). The cuts run at a lower
            // OS priority than the inserts instead (OpenDayRepository), to take the CPU the inserts leave.
            // Past rollup.open-trust queries cut raw rows.
            run("");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Open-day refresh failed; queries cut raw rows once its last check is too old, and it is retried", e);
        }
    }

    /** Cuts every group of the tenant's open days again (an erasure removed rows of them). */
    public void refreshTenant(String tenant) throws SQLException {
        if (config.openDays()) {
            run(tenant);
        }
    }

    private synchronized void run(String tenant) throws SQLException {
        int k = threshold.minDeployments();
        Instant checkedAt = clock.instant();
        LocalDate firstDay = firstDay(checkedAt, k);
        boolean changed = openDays.findsRowsByBlock() ? refreshByBlocks(firstDay, k, tenant)
                : refreshByCounts(firstDay, k, tenant);
        if (!firstDay.equals(droppedBefore)) {
            // The day before stays a little longer: a query that read the last check before this one uses it.
            openDays.dropBefore(firstDay.minusDays(1));
            droppedBefore = firstDay;
        }
        if (changed || !checkedAt.isBefore(lastRecorded.plus(IDLE_RECORD))) {
            openDays.recordSweep(new OpenDayRepository.Sweep(checkedAt, firstDay, k));
            lastRecorded = checkedAt;
        }
    }

    /**
     * One node: adds to each partition the rows inserted since it was last refreshed (V013__open_pieces_by_block.sql).
     * Every row of a block up to the newest one read here was visible when it was read, so after this every open
     * group holds all rows it had when the check began. Returns whether any partition changed.
     */
    private boolean refreshByBlocks(LocalDate firstDay, int k, String tenant) throws SQLException {
        boolean load = through == null || throughK != k;
        try {
            if (load) {
                through = new TreeMap<>(openDays.storedThrough(firstDay, k));
                throughK = k;
            }
            through.keySet().removeIf(partition -> partition.day().isBefore(firstDay));
            // Block numbers only grow, but the part of the newest one may be gone (a TTL emptied it), so the
            // newest read never goes below one the pieces hold already.
            long newest = Math.max(openDays.newestBlock(), Math.max(seenBlock,
                    through.values().stream().mapToLong(Long::longValue).max().orElse(0)));
            if (!load && tenant.isEmpty() && newest == seenBlock) {
                return false; // no insert since the last check: no row of an open day changed
            }
            SortedSet<OpenDayRepository.Partition> whole = new TreeSet<>();
            if (load) {
                // Partitions not stored yet, or stored before V013 or at another k: cut from their raw rows.
                openDays.partitions(firstDay, "").stream().filter(p -> !through.containsKey(p)).forEach(whole::add);
            }
            if (!tenant.isEmpty()) {
                // An erasure changed rows of old blocks: the tenant's partitions are cut from raw rows again.
                whole.addAll(openDays.partitions(firstDay, tenant));
            }
            Map<OpenDayRepository.Partition, List<OpenDayRepository.Inserted>> added = new TreeMap<>();
            // After a check every open partition holds every row through the newest block it saw: the stored ones
            // through theirs, and the rest had no row (a first check finds those by their raw rows, above).
            long oldest = through.values().stream().mapToLong(Long::longValue).min().orElse(newest);
            if (!load) {
                oldest = Math.min(oldest, seenBlock);
            }
            if (oldest < newest) {
                for (OpenDayRepository.Inserted group : openDays.inserted(firstDay, oldest, newest)) {
                    Long stored = through.get(group.partition());
                    if (stored == null) {
                        whole.add(group.partition()); // a new day or slice: all its rows are new
                    } else if (group.newestBlock() > stored) {
                        added.computeIfAbsent(group.partition(), p -> new ArrayList<>()).add(group);
                    }
                }
            }
            Timer.Sample sample = Timer.start();
            for (OpenDayRepository.Partition partition : whole) {
                openDays.cutWhole(partition, k, newest);
                through.put(partition, newest);
                added.remove(partition);
            }
            for (Map.Entry<OpenDayRepository.Partition, List<OpenDayRepository.Inserted>> entry : added.entrySet()) {
                long after = through.get(entry.getKey());
                openDays.addInserted(entry.getKey(), entry.getValue(), after, newest, k);
                through.put(entry.getKey(), newest);
            }
            if (!whole.isEmpty() || !added.isEmpty()) {
                sample.stop(refreshTimer);
                LOG.debugf("Cut %d open-day partitions whole and added new rows to %d", whole.size(), added.size());
            }
            // The others had no row of a block up to the newest either: they hold every row through it as well.
            through.replaceAll((partition, block) -> newest);
            seenBlock = newest;
            return !whole.isEmpty() || !added.isEmpty();
        } catch (SQLException | RuntimeException e) {
            // Which partitions were swapped in is known for sure only to the table: read it again next time.
            through = null;
            throw e;
        }
    }

    /** A cluster: counts each open hour's raw rows against its stored leaves and cuts the differing ones again. */
    private boolean refreshByCounts(LocalDate firstDay, int k, String tenant) throws SQLException {
        List<OpenDayRepository.Group> differing = openDays.differing(firstDay, k, tenant);
        if (!differing.isEmpty()) {
            Timer.Sample sample = Timer.start();
            // An erasure cuts its tenant's groups whole: it changed rows, not necessarily their count per hour.
            openDays.refresh(differing, k, !tenant.isEmpty());
            sample.stop(refreshTimer);
            LOG.debugf("Cut %d open-day groups again", differing.size());
        }
        return !differing.isEmpty();
    }

    /**
     * The first day kept: the first one the builder has not closed, but no earlier than two days before the
     * first day that may not be closed yet (days the builder is about to close are cut from raw meanwhile).
     * The watermark is the one queries use, up to twenty seconds old: until it moves here, the refresher only
     * keeps checking the day just closed, whose pieces it keeps a day longer anyway.
     */
    private LocalDate firstDay(Instant now, int k) throws SQLException {
        LocalDate notClosable = RollupRepository.lastClosableDay(now, config.lateness()).plusDays(1);
        Optional<LocalDate> open = cells.watermark(k);
        LocalDate first = open.orElse(notClosable);
        LocalDate earliest = notClosable.minusDays(MAX_LAGGING_DAYS);
        return first.isBefore(earliest) ? earliest : first;
    }

    /** Lets every instance but the one that runs the refresher leave it to that one. */
    @jakarta.inject.Singleton
    public static class RefresherDisabled implements Scheduled.SkipPredicate {
        private final boolean enabled;

        public RefresherDisabled(AnalyticsConfig config) {
            this.enabled = config.rollup().openDays();
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !enabled;
        }
    }
}
