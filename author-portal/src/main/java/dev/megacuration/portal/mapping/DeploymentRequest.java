package dev.megacuration.portal.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record DeploymentRequest(@NotBlank @Size(max = 100) String name) {
}
