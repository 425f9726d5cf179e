package dev.megacuration.analytics.mapping;

import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

public class UsageReportEventDeserializer extends ObjectMapperDeserializer<UsageReportEvent> {
    public UsageReportEventDeserializer() {
        super(UsageReportEvent.class);
    }
}
