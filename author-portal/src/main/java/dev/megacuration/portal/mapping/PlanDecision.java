package dev.megacuration.portal.mapping;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A person's decision on a proposed plan. */
public record PlanDecision(@NotNull @Pattern(regexp = "approve|reject") String decision,
                           @Size(max = 2000) String comment) {
    public boolean approve() {
        return "approve".equals(decision);
    }
}
