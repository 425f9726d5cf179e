package dev.megacuration.portal.rest;

import dev.megacuration.format.ArchiveFile;
import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.format.store.ReleaseStore;
import dev.megacuration.portal.BundleRelease;
import dev.megacuration.portal.mapping.ReleaseView;
import dev.megacuration.portal.mapping.SpanIndexPage;
import dev.megacuration.portal.mapping.SpanTagView;
import dev.megacuration.portal.mapping.TagEventView;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.portal.service.ReleaseService;
import dev.megacuration.portal.service.TagService;
import dev.megacuration.privacy.consent.ConsentService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Releases, their files, span index and tags, per tenant and bundle. Authors reach their own
 * organisation's bundles and admins any; every other caller finds nothing (404). Consumers may download
 * a bundle's files once one of their deployments is registered with it. Bearer tokens only.
 */
@Path("/api/tenants/{tenant}/bundles/{bundle}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"author", "admin"})
public class ReleaseApiResource {
    private static final String SLUG = BundleApiResource.SLUG;
    private static final String VERSION = ReleaseKey.VERSION;
    private static final String TAG = "[a-z][a-z0-9-]{0,31}";
    private static final String SHA256 = "[0-9a-f]{64}";

    private final ReleaseService releases;
    private final TagService tags;
    private final ConsentService consent;
    private final ReleaseStore store;
    private final Caller caller;

    public ReleaseApiResource(ReleaseService releases, TagService tags, ConsentService consent, ReleaseStore store,
                              Caller caller) {
        this.releases = releases;
        this.tags = tags;
        this.consent = consent;
        this.store = store;
        this.caller = caller;
    }

    /** Streams the four files of a release (multipart parts named as the files) with their SHA-256. */
    @POST
    @Path("/releases/{version}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> upload(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                @PathParam("bundle") @Pattern(regexp = SLUG) String bundle,
                                @PathParam("version") @Pattern(regexp = VERSION) String version,
                                @RestForm("LOD0.ctx") @NotNull FileUpload lod0,
                                @RestForm("LOD1.ctx") @NotNull FileUpload lod1,
                                @RestForm("LOD2.ctx") @NotNull FileUpload lod2,
                                @RestForm("metadata.json") @NotNull FileUpload metadata,
                                @RestForm @NotNull @Pattern(regexp = SHA256) String lod0Sha256,
                                @RestForm @NotNull @Pattern(regexp = SHA256) String lod1Sha256,
                                @RestForm @NotNull @Pattern(regexp = SHA256) String lod2Sha256,
                                @RestForm @NotNull @Pattern(regexp = SHA256) String metadataSha256,
                                @RestForm("archive.mcar") FileUpload archive,
                                @RestForm @Pattern(regexp = SHA256) String archiveSha256) {
        caller.requireTenant(tenant);
        Map<String, java.nio.file.Path> files = new java.util.HashMap<>(Map.of("LOD0.ctx", lod0.uploadedFile(),
                "LOD1.ctx", lod1.uploadedFile(), "LOD2.ctx", lod2.uploadedFile(), "metadata.json",
                metadata.uploadedFile()));
        Map<String, String> sums = new java.util.HashMap<>(Map.of("LOD0.ctx", lod0Sha256, "LOD1.ctx", lod1Sha256,
                "LOD2.ctx", lod2Sha256, "metadata.json", metadataSha256));
        // A curated release brings its archive (docs/ctx-format.md), checked like the other files.
        if (archive != null) {
            files.put(ArchiveFile.FILE_NAME, archive.uploadedFile());
            sums.put(ArchiveFile.FILE_NAME, archiveSha256);
        }
        ReleaseService.Upload upload = new ReleaseService.Upload(files, sums);
        return releases.upload(new ReleaseKey(tenant, bundle, version), upload, caller.name())
                .map(view -> Response.created(URI.create("/api/tenants/" + tenant + "/bundles/" + bundle
                        + "/releases/" + version)).entity(view).build());
    }

    /** Every release of the bundle, newest first, withdrawn ones included (and marked). */
    @GET
    @Path("/releases")
    public Uni<List<ReleaseView>> releasesOf(@PathParam("tenant") @Pattern(regexp = SLUG) String tenant,
                                             @PathParam("bundle") @Pattern(regexp = SLUG) String bundle) {
        caller.requireTenant(tenant);
        return releases.list(tenant, bundle);
    }

    @GET
    @Path("/releases/{version}")
    public Uni<ReleaseView> release(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                                    @PathParam("version") String version) {
        caller.requireTenant(tenant);
        return existing(tenant, bundle, version).map(ReleaseView::of);
    }

    @GET
    @Path("/releases/{version}/spans")
    public Uni<SpanIndexPage> spans(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                                    @PathParam("version") String version,
                                    @QueryParam("level") @DefaultValue("1") @Min(1) @Max(2) int level,
                                    @QueryParam("offset") @DefaultValue("0") @Min(0) long offset,
                                    @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10_000) int limit) {
        caller.requireTenant(tenant);
        return tags.spanIndex(tenant, bundle, version, level, offset, limit);
    }

    /**
     * One file of a release, resumable with a byte range; the SHA-256 comes as ETag and Repr-Digest so a
     * client can verify what it assembled.
     */
    @GET
    @Path("/releases/{version}/files/{file}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({"author", "admin", "consumer"})
    public Uni<Response> download(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                                  @PathParam("version") String version, @PathParam("file") String file,
                                  @HeaderParam("Range") String range) {
        boolean archive = ArchiveFile.FILE_NAME.equals(file);
        if (!ReleaseStore.FILES.contains(file) && !archive) {
            throw new NotFoundException("A release has no file " + file);
        }
        if (archive && !caller.hasRole("admin") && !caller.hasRole("author")) {
            throw new NotFoundException("A release has no file " + file);
        }
        return mayDownload(tenant, bundle)
                .flatMap(ignored -> existing(tenant, bundle, version))
                .map(release -> send(new ReleaseKey(tenant, bundle, version), file, sha256Of(release, file), range));
    }

    @GET
    @Path("/tags")
    public Uni<List<SpanTagView>> tags(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle) {
        caller.requireTenant(tenant);
        return tags.tags(tenant, bundle);
    }

    @GET
    @Path("/tags/history")
    public Uni<List<TagEventView>> tagHistory(@PathParam("tenant") String tenant,
                                              @PathParam("bundle") String bundle) {
        caller.requireTenant(tenant);
        return tags.history(tenant, bundle);
    }

    /** Tags a span; {@code ?subtree=true} tags everything under it too (say, a protected chapter). */
    @PUT
    @Path("/spans/{spanId}/tags/{tag}")
    public Uni<SpanTagView> tag(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                                @PathParam("spanId") long spanId, @PathParam("tag") @Pattern(regexp = TAG) String tag,
                                @QueryParam("subtree") @DefaultValue("false") boolean subtree) {
        caller.requireTenant(tenant);
        return tags.tag(tenant, bundle, spanId, tag, subtree, caller.name());
    }

    @DELETE
    @Path("/spans/{spanId}/tags/{tag}")
    public Uni<Response> untag(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                               @PathParam("spanId") long spanId, @PathParam("tag") @Pattern(regexp = TAG) String tag) {
        caller.requireTenant(tenant);
        return tags.untag(tenant, bundle, spanId, tag, caller.name()).map(removed -> {
            if (!removed) {
                throw new NotFoundException("Span " + spanId + " has no tag " + tag);
            }
            return Response.noContent().build();
        });
    }

    private Uni<Boolean> mayDownload(String tenant, String bundle) {
        if (!caller.hasRole("consumer") || caller.hasRole("admin")
                || caller.hasRole("author") && tenant.equals(caller.tenantOrNull())) {
            caller.requireTenant(tenant);
            return Uni.createFrom().item(true);
        }
        return consent.hasDeploymentFor(caller.subject(), tenant, bundle).map(registered -> {
            if (!registered) {
                throw new ForbiddenException("Register a deployment with " + tenant + "/" + bundle + " first");
            }
            return true;
        });
    }

    private Uni<BundleRelease> existing(String tenant, String bundle, String version) {
        return releases.find(tenant, bundle, version).onItem().ifNull()
                .failWith(() -> new NotFoundException("No release " + version + " of " + bundle));
    }

    private Response send(ReleaseKey key, String file, String sha256, String rangeHeader) {
        try {
            java.nio.file.Path path = store.localFile(key, file)
                    .orElseThrow(() -> new IllegalStateException("the release store is not local"));
            long size = store.size(key, file);
            Response.ResponseBuilder response;
            ByteRange range;
            try {
                range = ByteRange.parse(rangeHeader, size);
            } catch (ByteRange.Unsatisfiable e) {
                return Response.status(416).header("Content-Range", "bytes */" + size).build();
            }
            if (range == null) {
                response = Response.ok(new PathPart(path, 0, size));
            } else {
                response = Response.status(206).entity(new PathPart(path, range.start(), range.length()))
                        .header("Content-Range", range.contentRange(size));
            }
            response.header("Accept-Ranges", "bytes").header("ETag", "\"" + sha256 + "\"");
            response.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(
                    HexFormat.of().parseHex(sha256)) + ":");
            return response.header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
        } catch (IOException e) {
            throw new NotFoundException("The files of " + key + " are not in the store");
        }
    }

    private static String sha256Of(BundleRelease release, String file) {
        String sha = switch (file) {
            case "LOD0.ctx" -> release.lod0Sha256;
            case "LOD1.ctx" -> release.lod1Sha256;
            case "LOD2.ctx" -> release.lod2Sha256;
            case ArchiveFile.FILE_NAME -> release.archiveSha256;
            default -> release.metadataSha256;
        };
        if (sha == null && ArchiveFile.FILE_NAME.equals(file)) {
            throw new NotFoundException("Release " + release.version + " has no archive");
        }
        if (sha == null) {
            throw new NotFoundException("Release " + release.version + " was registered without files");
        }
        return sha;
    }
}
