package dev.megacuration.portal.rest;

import dev.megacuration.privacy.config.PrivacyConfig;
import dev.megacuration.privacy.consent.ConsentContract;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The consent contract a consumer opts in under: the current one, and every version consent rows name. */
@Path("/api/contracts")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class ContractResource {
    private final PrivacyConfig privacy;

    public ContractResource(PrivacyConfig privacy) {
        this.privacy = privacy;
    }

    @GET
    @Path("/current")
    public ConsentContract current() {
        return version(privacy.contractVersion());
    }

    @GET
    @Path("/{version}")
    public ConsentContract version(@PathParam("version") String version) {
        return ConsentContract.version(version)
                .orElseThrow(() -> new NotFoundException("No consent contract " + version));
    }
}
