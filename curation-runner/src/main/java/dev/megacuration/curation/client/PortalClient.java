package dev.megacuration.curation.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The portal's release API, as the runner's service account (role admin). */
@RegisterRestClient(configKey = "portal")
@OidcClientFilter
@Path("/api/tenants/{tenant}/bundles/{bundle}/releases/{version}")
public interface PortalClient {

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    JsonNode upload(@PathParam("tenant") String tenant, @PathParam("bundle") String bundle,
                    @PathParam("version") String version, ReleaseUpload files);
}
