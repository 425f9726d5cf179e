package dev.megacuration.portal.mapping;

import dev.megacuration.format.store.ReleaseKey;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Opt a deployment in or out of sharing usage of one author's bundle, or of all that author's bundles with
 * {@code bundle = "*"} (a decision about one bundle stays an exception to it).
 */
public record ConsentRequest(
        @NotBlank @Pattern(regexp = ReleaseKey.SLUG) String tenant,
        @NotBlank @Pattern(regexp = ReleaseKey.SLUG + "|\\*") String bundle,
        @NotNull Boolean optedIn) {
}
