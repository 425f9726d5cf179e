package dev.megacuration.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** metadata.json of one bundle release, field names as the MegaContext storage format writes them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleMetadata(
        int version,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("model_name") String modelName,
        @JsonProperty("embedding_dim") int embeddingDim,
        @JsonProperty("block_size") int blockSize,
        Map<String, Level> levels,
        @JsonProperty("gistnet_checkpoint") String gistnetCheckpoint,
        @JsonProperty("ingestion_complete") boolean ingestionComplete,
        @JsonProperty("last_modified") String lastModified) {

    public static final String FILE_NAME = "metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** One level's counts; LOD0 counts tokens and blocks, LOD1/LOD2 count gists. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Level(
            @JsonProperty("num_blocks") Long numBlocks,
            @JsonProperty("num_tokens") Long numTokens,
            @JsonProperty("num_gists") Long numGists,
            @JsonProperty("file_size_bytes") long fileSizeBytes) {

        public long entries() {
            return numTokens != null ? numTokens : numGists == null ? -1 : numGists;
        }
    }

    public static String levelName(int level) {
        return "LOD" + level;
    }

    public static String fileName(int level) {
        return levelName(level) + ".ctx";
    }

    public void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    public static BundleMetadata read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.size(file) > 1 << 20) {
            throw new CtxFormatException("metadata.json is larger than 1 MiB");
        }
        try {
            return JSON.readValue(file.toFile(), BundleMetadata.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CtxFormatException("metadata.json is not valid: " + e.getOriginalMessage());
        }
    }
}
