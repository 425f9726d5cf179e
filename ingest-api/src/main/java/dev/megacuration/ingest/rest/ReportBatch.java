package dev.megacuration.ingest.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Several reports of one deployment in one request (at most {@code megacuration.ingest.max-batch}). */
public record ReportBatch(@NotNull @Size(min = 1, max = 1000) List<@Valid @NotNull UsageReport> reports) {
}
