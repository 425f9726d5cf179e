package dev.megacuration.curation.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The portal's release, tag and curation APIs, as the runner's service account (role admin). */
@RegisterRestClient(configKey = "portal")
@OidcClientFilter
@Path("/api/tenants/{tenant}/bundles/{bundle}")
public interface PortalClient {

    @POST
    @Path("/releases/{version}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    JsonNode upload(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                    @PathParam("version") String version, ReleaseUpload files);

    @GET
    @Path("/releases")
    List<JsonNode> releases(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle);

    @GET
    @Path("/releases/{version}")
    JsonNode release(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                     @PathParam("version") String version);

    @GET
    @Path("/releases/{version}/files/{file}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    InputStream download(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                         @PathParam("version") String version, @PathParam("file") String file);

    @GET
    @Path("/tags")
    List<JsonNode> tags(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle);

    @POST
    @Path("/plans")
    @Consumes(MediaType.APPLICATION_JSON)
    Response propose(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle, String planJson);

    @GET
    @Path("/plans/{id}")
    JsonNode plan(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle, @PathParam("id") String id);

    @POST
    @Path("/plans/{id}/apply")
    JsonNode startApply(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                        @PathParam("id") String id);

    @POST
    @Path("/plans/{id}/rollback")
    JsonNode rollback(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                      @PathParam("id") String id);
}
