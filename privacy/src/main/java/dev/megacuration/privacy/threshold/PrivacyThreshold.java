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
        return tenantMinDeployments == null ? minDeployments : Math.max(minDeployments, tenantMinDeployments);
    }

    public boolean publishable(long distinctDeployments) {
        return distinctDeployments >= minDeployments;
    }
}
