package dev.megacuration.curation.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * A person's review of a plan, with that person's own token (never the runner's service account: the
 * portal refuses approvals from service accounts).
 */
@RegisterRestClient(configKey = "portal")
@Path("/api/tenants/{tenant}/bundles/{bundle}/plans/{id}")
public interface ReviewClient {

    record Decision(String decision, String comment) {
    }

    @POST
    @Path("/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode decide(@HeaderParam("Authorization") String bearer, @PathParam("tenant") String tenant,
                    @PathParam("bundle") String bundle, @PathParam("id") String id, Decision decision);
}
