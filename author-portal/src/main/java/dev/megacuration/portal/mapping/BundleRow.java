package dev.megacuration.portal.mapping;

import java.util.List;

/**
 * A bundle on the author's list: its versions, how many deployments share its usage (published, or "fewer
 * than k", never who), and how fresh its data is (the newest bucket of the last week anybody reported in).
 */
public record BundleRow(String name, List<String> versions, String consentStatus, Long consenting,
                        String newestData) {
}
