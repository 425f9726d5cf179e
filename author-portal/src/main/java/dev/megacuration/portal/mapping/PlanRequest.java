package dev.megacuration.portal.mapping;

import dev.megacuration.privacy.threshold.PrivacyThreshold;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** An admin's change of a tenant's plan; {@code minDeployments} raises k (never below the platform's). */
public record PlanRequest(@NotNull @Pattern(regexp = "free|pro|enterprise") String tier,
                          @Min(PrivacyThreshold.FLOOR) @Max(PrivacyThreshold.CEILING) Integer minDeployments) {
}
