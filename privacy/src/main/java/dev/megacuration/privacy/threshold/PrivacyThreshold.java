package dev.megacuration.privacy.threshold;

import dev.megacuration.privacy.config.PrivacyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The k-threshold: a cell is publishable only when at least k distinct deployments contributed to it. */
@ApplicationScoped
public class PrivacyThreshold {
    private final int minDeployments;

    @Inject
    public PrivacyThreshold(PrivacyConfig config) {
        this(config.minDeployments());
    }

    PrivacyThreshold(int minDeployments) {
        if (minDeployments < 2) {
            throw new IllegalArgumentException("a threshold below 2 would publish single deployments");
        }
        this.minDeployments = minDeployments;
    }

    public static PrivacyThreshold of(int minDeployments) {
        return new PrivacyThreshold(minDeployments);
    }

    public int minDeployments() {
        return minDeployments;
    }

    public boolean publishable(long distinctDeployments) {
        return distinctDeployments >= minDeployments;
    }
}
