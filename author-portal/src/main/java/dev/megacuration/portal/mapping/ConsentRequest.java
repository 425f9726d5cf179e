package dev.megacuration.portal.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Opt a deployment in or out of sharing usage of one author's bundle. */
public record ConsentRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String tenant,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") String bundle,
        @NotNull Boolean optedIn) {
}
