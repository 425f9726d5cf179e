package dev.megacuration.ingest.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Reports are read strictly: a wrong type is a 400 naming the field, never a guess. Jackson would otherwise
 * read {@code 2.7} as 2 and {@code "3"} as 3 (unknown fields are refused by
 * {@code quarkus.jackson.fail-on-unknown-properties}). A count left out (or {@code null}) is 0, as the
 * contract says.
 *
 * <p>Numbers with a fraction (residency, swap rate, ΔNLL: four in every span entry) are read and written by
 * Jackson's fast double parser and writer: the JDK's {@code Double.parseDouble} and {@code Double.toString}
 * allocated a string and a buffer per number, on the way in and again on the way to Kafka. The parser gives
 * the nearest double, as the JDK does; the writer the shortest text that reads back as the same double.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.configure(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature(), true);
        mapper.configure(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature(), true);
    }
}
