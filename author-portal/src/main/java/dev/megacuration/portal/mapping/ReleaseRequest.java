package dev.megacuration.portal.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Registers a release whose files were verified by whoever holds them (the import command, for now). */
public record ReleaseRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[0-9A-Za-z][0-9A-Za-z.+_-]*") String version,
        @NotBlank @Size(max = 32) String modelName,
        @Positive int embeddingDim,
        @PositiveOrZero long numTokens,
        @NotNull @Pattern(regexp = SHA256) String lod0Sha256,
        @NotNull @Pattern(regexp = SHA256) String lod1Sha256,
        @NotNull @Pattern(regexp = SHA256) String lod2Sha256) {

    public static final String SHA256 = "[0-9a-f]{64}";
}
