package dev.megacuration.curation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.megacuration.curation.client.PortalClient;
import dev.megacuration.curation.config.CurationConfig;
import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.BundleFiles;
import dev.megacuration.format.store.DirectoryReleaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Releases on this machine's disk, fetched through the portal's release API (never from its store
 * directly) and checked against the checksums the registry holds. A release is cached under its version
 * and LOD0 checksum, so a second command on the same release downloads nothing.
 */
@ApplicationScoped
public class ReleaseFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(ReleaseFiles.class);
    /** A staging directory this old belongs to a run that died: nothing will ever use it again. */
    private static final java.time.Duration ABANDONED = java.time.Duration.ofDays(1);
    private final PortalClient portal;
    private final Path root;
    private final int cachedPerBundle;

    public ReleaseFiles(@RestClient PortalClient portal, CurationConfig config) {
        this.portal = portal;
        this.root = Path.of(config.workDir());
        this.cachedPerBundle = config.cachedReleasesPerBundle();
    }

    /** The registry's view of a release (checksums, counts, provenance). */
    public JsonNode view(String tenant, String bundle, String version) {
        return portal.release(tenant, bundle, version);
    }

    /** The current release: the newest with files that no rollback withdrew. */
    public JsonNode current(String tenant, String bundle) {
        for (JsonNode release : portal.releases(tenant, bundle)) {
            if (!release.hasNonNull("withdrawnAt") && release.hasNonNull("numLod1")) {
                return release;
            }
        }
        throw new IllegalStateException(tenant + "/" + bundle + " has no release with files");
    }

    public List<JsonNode> all(String tenant, String bundle) {
        return portal.releases(tenant, bundle);
    }

    /** A verified local copy of the release. */
    public Path local(String tenant, String bundle, JsonNode view) throws IOException {
        String version = view.path("version").asText();
        Path dir = root.resolve("releases").resolve(tenant).resolve(bundle).resolve(version + "-"
                + view.path("lod0Sha256").asText().substring(0, 16));
        if (Files.isDirectory(dir)) {
            touch(dir);
            return dir;
        }
        Path staging = newWorkDir();
        try {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("LOD0.ctx", view.path("lod0Sha256").asText());
            expected.put("LOD1.ctx", view.path("lod1Sha256").asText());
            expected.put("LOD2.ctx", view.path("lod2Sha256").asText());
            expected.put("metadata.json", view.path("metadataSha256").asText());
            if (view.hasNonNull("archiveSha256")) {
                expected.put(ArchiveFile.FILE_NAME, view.path("archiveSha256").asText());
            }
            for (Map.Entry<String, String> file : expected.entrySet()) {
                Path target = staging.resolve(file.getKey());
                try (InputStream in = portal.download(tenant, bundle, version, file.getKey())) {
                    Files.copy(in, target);
                }
                String actual = BundleFiles.sha256(target);
                if (!actual.equals(file.getValue())) {
                    throw new IOException(file.getKey() + " of " + version + " arrived with SHA-256 " + actual
                            + ", the registry says " + file.getValue());
                }
            }
            BundleFiles.verifyStructure(staging); // every file's checksum was just compared above
            Files.createDirectories(dir.getParent());
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            touch(dir);
            prune(dir.getParent(), cachedPerBundle, dir);
            prune(root.resolve("staging"), java.time.Instant.now().minus(ABANDONED));
            return dir;
        } finally {
            DirectoryReleaseStore.deleteTree(staging);
        }
    }

    /** Marks a cached release as used now: pruning keeps the ones used last. */
    private static void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.from(java.time.Instant.now()));
    }

    /**
     * Deletes the cached releases of one bundle beyond the {@code keep} used last, never {@code current}.
     * A failure to delete is logged, not thrown: the cache is an optimisation and the command succeeded.
     */
    static void prune(Path bundleDir, int keep, Path current) {
        List<Path> cached = new ArrayList<>();
        try (var entries = Files.list(bundleDir)) {
            entries.filter(Files::isDirectory).forEach(cached::add);
        } catch (IOException e) {
            LOG.warnf("could not list the release cache %s: %s", bundleDir, e.getMessage());
            return;
        }
        cached.sort(java.util.Comparator.comparing(ReleaseFiles::lastUsed).reversed());
        int kept = 0;
        for (Path dir : cached) {
            if (dir.equals(current) || kept < keep) {
                kept++;
                continue;
            }
            delete(dir);
        }
    }

    /** Deletes staging directories last changed before {@code before}: left by runs that died. */
    static void prune(Path stagingRoot, java.time.Instant before) {
        try (var entries = Files.list(stagingRoot)) {
            entries.filter(Files::isDirectory).filter(dir -> lastUsed(dir).toInstant().isBefore(before))
                    .forEach(ReleaseFiles::delete);
        } catch (IOException e) {
            LOG.warnf("could not list %s: %s", stagingRoot, e.getMessage());
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void delete(Path dir) {
        try {
            DirectoryReleaseStore.deleteTree(dir);
            LOG.debugf("pruned %s from the release cache", dir);
        } catch (IOException e) {
            LOG.warnf("could not prune %s: %s", dir, e.getMessage());
        }
    }

    /** A fresh directory to assemble a new release in (removed by the caller). */
    public Path newWorkDir() throws IOException {
        return Files.createDirectories(root.resolve("staging").resolve(UUID.randomUUID().toString()));
    }

    /**
     * The next free curated version: {@code 1.0.0} → {@code 1.0.0+c1} → {@code 1.0.0+c2}, counted over
     * every release of the bundle so a withdrawn version is never reused.
     */
    public static String nextVersion(String base, List<String> existing) {
        String stem = base.replaceFirst("\\+c[0-9]+$", "");
        int max = 0;
        for (String version : existing) {
            if (version.startsWith(stem + "+c")) {
                try {
                    max = Math.max(max, Integer.parseInt(version.substring(stem.length() + 2)));
                } catch (NumberFormatException ignored) {
                    // another scheme under the same prefix: not ours
                }
            }
        }
        return stem + "+c" + (max + 1);
    }

    /**
     * The versions a release descends from through curation, itself first (each curated release names its
     * base in metadata.json): usage reported against any of them is usage of the same spans.
     */
    public List<String> lineage(String tenant, String bundle, JsonNode view) throws IOException {
        List<String> versions = new ArrayList<>();
        String version = view.path("version").asText();
        while (version != null && !versions.contains(version) && versions.size() < 1000) {
            versions.add(version);
            try (InputStream in = portal.download(tenant, bundle, version, "metadata.json")) {
                version = JSON.readTree(in).path("curation").path("base_version").asText(null);
            }
        }
        return versions;
    }
}
