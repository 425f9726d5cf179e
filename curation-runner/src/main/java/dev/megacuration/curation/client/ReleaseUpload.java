package dev.megacuration.curation.client;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.BundleFiles;
import jakarta.ws.rs.core.MediaType;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.jboss.resteasy.reactive.PartType;
import org.jboss.resteasy.reactive.RestForm;

/** The multipart form of a release upload: the four files, each with its SHA-256. */
public class ReleaseUpload {
    @RestForm("LOD0.ctx")
    @PartType(MediaType.APPLICATION_OCTET_STREAM)
    public File lod0;

    @RestForm("LOD1.ctx")
    @PartType(MediaType.APPLICATION_OCTET_STREAM)
    public File lod1;

    @RestForm("LOD2.ctx")
    @PartType(MediaType.APPLICATION_OCTET_STREAM)
    public File lod2;

    @RestForm("metadata.json")
    @PartType(MediaType.APPLICATION_OCTET_STREAM)
    public File metadata;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String lod0Sha256;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String lod1Sha256;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String lod2Sha256;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String metadataSha256;

    /** A curated release's archive, if it has one (null parts are not sent). */
    @RestForm("archive.mcar")
    @PartType(MediaType.APPLICATION_OCTET_STREAM)
    public File archive;

    @RestForm
    @PartType(MediaType.TEXT_PLAIN)
    public String archiveSha256;

    /** The form for a release directory that {@link BundleFiles#verify} accepted. */
    public static ReleaseUpload of(Path dir, BundleFiles.Verified verified) throws IOException {
        ReleaseUpload upload = new ReleaseUpload();
        upload.lod0 = dir.resolve("LOD0.ctx").toFile();
        upload.lod1 = dir.resolve("LOD1.ctx").toFile();
        upload.lod2 = dir.resolve("LOD2.ctx").toFile();
        upload.metadata = dir.resolve("metadata.json").toFile();
        upload.lod0Sha256 = verified.levels().get(0).sha256();
        upload.lod1Sha256 = verified.levels().get(1).sha256();
        upload.lod2Sha256 = verified.levels().get(2).sha256();
        upload.metadataSha256 = BundleFiles.sha256(dir.resolve("metadata.json"));
        if (verified.archiveSha256() != null) {
            upload.archive = dir.resolve(ArchiveFile.FILE_NAME).toFile();
            upload.archiveSha256 = verified.archiveSha256();
        }
        return upload;
    }
}
