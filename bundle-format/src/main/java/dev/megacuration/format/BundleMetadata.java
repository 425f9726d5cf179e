package dev.megacuration.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
        @JsonProperty("last_modified") String lastModified,
        @JsonInclude(JsonInclude.Include.NON_NULL) Curation curation) {

    /** A release as its author made it (no curation section). */
    public BundleMetadata(int version, String createdAt, String modelName, int embeddingDim, int blockSize,
                          Map<String, Level> levels, String gistnetCheckpoint, boolean ingestionComplete,
                          String lastModified) {
        this(version, createdAt, modelName, embeddingDim, blockSize, levels, gistnetCheckpoint, ingestionComplete,
                lastModified, null);
    }

    public static final String FILE_NAME = "metadata.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * What a curation run made of this release (docs/ctx-format.md): the release it was rebuilt from, the
     * plan, and its archive file, if any runs were archived.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Curation(
            @JsonProperty("base_version") String baseVersion,
            @JsonProperty("plan_id") String planId,
            @JsonProperty("archive_runs") int archiveRuns,
            @JsonProperty("archive_size_bytes") long archiveSizeBytes,
            @JsonProperty("archive_sha256") String archiveSha256) {
    }

    /**
     * One level's counts; LOD0 counts tokens and blocks, LOD1/LOD2 count gists, all of the whole timeline.
     * A compacted level also says how many entries its file still holds.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Level(
            @JsonProperty("num_blocks") Long numBlocks,
            @JsonProperty("num_tokens") Long numTokens,
            @JsonProperty("num_gists") Long numGists,
            @JsonProperty("file_size_bytes") long fileSizeBytes,
            @JsonProperty("present_entries") Long presentEntries) {

        public Level(Long numBlocks, Long numTokens, Long numGists, long fileSizeBytes) {
            this(numBlocks, numTokens, numGists, fileSizeBytes, null);
        }

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
