package dev.megacuration.ingest.config;

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
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    }
}
