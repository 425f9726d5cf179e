package dev.megacuration.privacy.threshold;

import dev.megacuration.privacy.config.PrivacyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The k-threshold: a cell is publishable only when at least k distinct deployments contributed to it.
 * The platform k comes from config and can never be set below {@link #FLOOR}; a tenant may raise its own k,
 * and nothing (no tier, no request parameter) lowers it.
 */
@ApplicationScoped
public class PrivacyThreshold {
    /** Below three, two colluding parties could each subtract themselves and read the third. */
    public static final int FLOOR = 3;
    /**
     * Distinct deployments are counted with uniqCombined64(12) sketches in ClickHouse, exact below 144
     * values: every comparison with a k up to this ceiling is exact.
     */
    public static final int CEILING = 100;

    private final int minDeployments;

    @Inject
    public PrivacyThreshold(PrivacyConfig config) {
        this(config.minDeployments());
    }

    PrivacyThreshold(int minDeployments) {
        if (minDeployments < FLOOR) {
            throw new IllegalArgumentException("megacuration.privacy.min-deployments is " + minDeployments
                    + "; the platform minimum may not be below " + FLOOR);
        }
        if (minDeployments > CEILING) {
            throw new IllegalArgumentException("megacuration.privacy.min-deployments is " + minDeployments
                    + "; k may not be above " + CEILING + ", where distinct counts stop being exact");
        }
        this.minDeployments = minDeployments;
    }

    public static PrivacyThreshold of(int minDeployments) {
        return new PrivacyThreshold(minDeployments);
    }

    /** The platform k: what the fixed pieces of every published number are built with. */
    public int minDeployments() {
        return minDeployments;
    }

    /** A tenant's k: its own setting where that is higher than the platform's, never lower. */
    public int forTenant(Integer tenantMinDeployments) {
        return tenantMinDeployments == null ? minDeployments
                : Math.min(CEILING, Math.max(minDeployments, tenantMinDeployments));
    }

    public boolean publishable(long distinctDeployments) {
        return distinctDeployments >= minDeployments;
    }
}
