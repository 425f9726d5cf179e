package dev.megacuration.ingest.mapping;

import java.util.List;

/**
 * A Kafka record on topic {@code usage-reports} (schema version 3) that carries several reports: the reports of
 * one batch request for one tenant and bundle, each exactly as a version 2 record ({@link UsageReportEvent}).
 * One record instead of one per report: a full batch is a hundred reports, and one record per report made
 * a batch wait for a hundred acknowledgements and filled the producer's limit of records in flight.
 */
public record UsageReportBatchEvent(int schemaVersion, List<UsageReportEvent> reports) {

    public static final int SCHEMA_VERSION = 3;

    public UsageReportBatchEvent(List<UsageReportEvent> reports) {
        this(SCHEMA_VERSION, reports);
    }
}
