-- Schema version 2 of usage-reports carries the allocator's full per-span statistics. Nullable where a
-- client may not measure them: a missing value must not be averaged in as zero.
ALTER TABLE span_reports
    ADD COLUMN IF NOT EXISTS collapses          UInt32 DEFAULT 0 AFTER expands,
    ADD COLUMN IF NOT EXISTS residency          Nullable(Float32) AFTER collapses,
    ADD COLUMN IF NOT EXISTS swap_rate          Nullable(Float32) AFTER residency,
    ADD COLUMN IF NOT EXISTS delta_nll          Nullable(Float32) AFTER swap_rate,
    ADD COLUMN IF NOT EXISTS delta_nll_horizon  Nullable(UInt8) AFTER delta_nll,
    ADD COLUMN IF NOT EXISTS last_access_step   Nullable(UInt64) AFTER delta_nll_horizon,
    ADD COLUMN IF NOT EXISTS access_count       Nullable(UInt64) AFTER last_access_step;
