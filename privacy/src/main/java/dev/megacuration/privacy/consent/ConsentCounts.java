package dev.megacuration.privacy.consent;

import dev.megacuration.privacy.threshold.PrivacyThreshold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * What authors and admins may know about consent: per bundle, how many deployments currently share usage,
 * under the same threshold as every other number (a count of 1 to k-1 is "below threshold"). Never who.
 */
@ApplicationScoped
public class ConsentCounts {
    /** One bundle's count; {@code optedIn} is null unless {@code status} is "published". */
    public record BundleConsent(String bundle, String status, Long optedIn) {
    }

    private final Pool pool;
    private final PrivacyThreshold threshold;

    public ConsentCounts(Pool pool, PrivacyThreshold threshold) {
        this.pool = pool;
        this.threshold = threshold;
    }

    public Uni<List<BundleConsent>> of(String tenant, Integer tenantMinDeployments) {
        int k = threshold.forTenant(tenantMinDeployments);
        return pool.preparedQuery("""
                        SELECT bundle, count(*) FILTER (WHERE opted_in) AS opted_in
                        FROM (SELECT DISTINCT ON (deployment_id, bundle) bundle, opted_in
                              FROM privacy.consent_event WHERE tenant = $1
                              ORDER BY deployment_id, bundle, id DESC) AS current_consent
                        GROUP BY bundle ORDER BY bundle""")
                .execute(Tuple.of(tenant)).map(rows -> {
                    List<BundleConsent> counts = new ArrayList<>();
                    rows.forEach(row -> {
                        long optedIn = row.getLong("opted_in");
                        counts.add(optedIn >= k ? new BundleConsent(row.getString("bundle"), "published", optedIn)
                                : new BundleConsent(row.getString("bundle"), optedIn == 0 ? "none" : "below_threshold",
                                null));
                    });
                    return counts;
                });
    }
}
