package dev.megacuration.analytics.service;

import dev.megacuration.analytics.config.AnalyticsConfig;
import dev.megacuration.analytics.mapping.Window;
import dev.megacuration.analytics.repository.RollupRepository;
import dev.megacuration.analytics.repository.WindowRepository;
import dev.megacuration.privacy.threshold.PrivacyThreshold;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps the stored aggregates in step with the raw table: closes each day once its reports are in (cuts
 * its pieces; the views add them up per day and month), and rebuilds a tenant's month when a day of it
 * went dirty (a late report) or an erasure removed rows from it. One builder runs per deployment; every
 * method holds the same lock, since rebuilds share their staging tables.
 */
@ApplicationScoped
public class RollupBuilder {
    private static final Logger LOG = Logger.getLogger(RollupBuilder.class);

    private final RollupRepository rollups;
    private final WindowRepository windows;
    private final PrivacyThreshold threshold;
    private final AnalyticsConfig.Rollup config;
    private final Timer closeTimer;
    private final Timer rebuildTimer;
    private final Timer windowTimer;
    private final Clock clock = Clock.systemUTC();

    public RollupBuilder(RollupRepository rollups, WindowRepository windows, PrivacyThreshold threshold,
                         AnalyticsConfig config, MeterRegistry registry) {
        this.rollups = rollups;
        this.windows = windows;
        this.threshold = threshold;
        this.config = config.rollup();
        this.closeTimer = Timer.builder("megacuration.rollup.close").description("Closing one day's pieces")
                .register(registry);
        this.rebuildTimer = Timer.builder("megacuration.rollup.rebuild")
                .description("Rebuilding one tenant's month of pieces").register(registry);
        this.windowTimer = Timer.builder("megacuration.rollup.window")
                .description("Summing a standard window's closed days per span").register(registry);
    }

    @Scheduled(every = "${megacuration.analytics.rollup.poll}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = BuilderDisabled.class)
    void scheduled() {
        try {
            run();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Rollup build failed; queries read raw rows for what is not built, and it is retried", e);
        }
    }

    /** Closes every closable day, then rebuilds every settled dirty month. */
    public synchronized void run() throws SQLException {
        int k = threshold.minDeployments();
        if (rollups.builtThresholds().stream().anyMatch(built -> built != k)) {
            LOG.infof("k is now %d: every stored piece is rebuilt", k);
            windows.reset();
            rollups.reset();
        }
        closeDays(k);
        Optional<LocalDate> open = rollups.firstOpenDay(k);
        if (open.isEmpty()) {
            return;
        }
        buildWindows(open.get(), k);
        Instant started = clock.instant();
        Instant settled = started.minus(config.settle());
        for (RollupRepository.DirtyMonth dirty : rollups.dirtyMonths(open.get(), settled)) {
            rebuild(dirty.tenant(), dirty.month(), open.get(), k);
            // The tenant's windows too, before the marks are settled: until then queries do not use them.
            rebuildWindows(dirty.tenant(), java.util.List.of(dirty.month()), open.get(), k);
            rollups.resolved(dirty.tenant(), dirty.month(), settled);
        }
    }

    /**
     * Builds the standard windows whose closed days end the day before {@code open}: for today being
     * {@code open} and, until the next day closes, the day after (each window's first day moves with today).
     */
    private void buildWindows(LocalDate open, int k) throws SQLException {
        java.util.Set<Window> built = windows.built(k);
        boolean builtAny = false;
        for (int length : config.windows()) {
            for (LocalDate today : new LocalDate[] {open, open.plusDays(1)}) {
                LocalDate from = today.minusDays(length - 1L);
                if (from.isAfter(open.minusDays(1))) {
                    continue; // no closed day in it
                }
                Window window = new Window(from, open.minusDays(1));
                if (!built.contains(window)) {
                    Timer.Sample sample = Timer.start();
                    windows.build(window, open, k, Optional.empty());
                    sample.stop(windowTimer);
                    builtAny = true;
                    LOG.debugf("Built window %s", window);
                }
            }
        }
        if (builtAny) {
            // Two days late: a query that read the watermark before the last close still finds its window.
            windows.dropEndingBefore(open.minusDays(2));
        }
    }

    /** Builds the tenant's rows of every window that holds a day of the months again. */
    private void rebuildWindows(String tenant, java.util.Collection<YearMonth> months, LocalDate open, int k)
            throws SQLException {
        for (Window window : windows.built(k)) {
            boolean touched = months.stream().anyMatch(month -> !month.atDay(1).isAfter(window.to())
                    && !month.atEndOfMonth().isBefore(window.from()));
            if (touched && window.to().isBefore(open)) {
                windows.build(window, open, k, Optional.of(tenant));
            }
        }
    }

    /** Rebuilds a tenant's months now (an erasure waits for this before it completes). */
    public synchronized void rebuild(String tenant, Collection<YearMonth> months) throws SQLException {
        int k = threshold.minDeployments();
        Optional<LocalDate> open = rollups.firstOpenDay(k);
        if (open.isEmpty()) {
            return; // nothing stored, nothing to rebuild
        }
        for (YearMonth month : months) {
            if (month.atDay(1).isBefore(open.get())) {
                rebuild(tenant, month, open.get(), k);
            }
        }
        rebuildWindows(tenant, months, open.get(), k);
    }

    private void closeDays(int k) throws SQLException {
        LocalDate last = RollupRepository.lastClosableDay(clock.instant(), config.lateness());
        while (true) {
            Timer.Sample sample = Timer.start();
            Optional<LocalDate> closed = rollups.closeNextDay(last, k);
            if (closed.isEmpty()) {
                return;
            }
            sample.stop(closeTimer);
            LOG.debugf("Closed %s", closed.get());
        }
    }

    private void rebuild(String tenant, YearMonth month, LocalDate open, int k) throws SQLException {
        Timer.Sample sample = Timer.start();
        rollups.rebuildMonth(tenant, month, open, k);
        sample.stop(rebuildTimer);
        LOG.infof("Rebuilt %s of %s", month, tenant);
    }

    /** Lets every instance but one leave the building to that one. */
    @jakarta.inject.Singleton
    public static class BuilderDisabled implements Scheduled.SkipPredicate {
        private final boolean enabled;

        public BuilderDisabled(AnalyticsConfig config) {
            this.enabled = config.rollup().builder();
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !enabled;
        }
    }
}
