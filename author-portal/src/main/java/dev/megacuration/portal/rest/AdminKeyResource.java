package dev.megacuration.portal.rest;

import dev.megacuration.portal.service.Caller;
import dev.megacuration.privacy.pseudonym.Pseudonymizer;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

/**
 * The middle step of a key-encryption-key rotation (deploy/PRODUCTION.md): once every service runs with the
 * new KEK as current and the old one as previous, an admin reseals the stored pseudonym keys under the new
 * one. Pseudonyms do not change; the call is safe to repeat.
 */
@Path("/api/admin/pseudonym-keys:reseal")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminKeyResource {
    private static final Logger LOG = Logger.getLogger(AdminKeyResource.class);

    private final Pseudonymizer pseudonymizer;
    private final Caller caller;

    public AdminKeyResource(Pseudonymizer pseudonymizer, Caller caller) {
        this.pseudonymizer = pseudonymizer;
        this.caller = caller;
    }

    /** Reseals every pseudonym key under the current key-encryption key. */
    @POST
    public Uni<Pseudonymizer.Reseal> reseal() {
        return pseudonymizer.resealAll().invoke(done -> LOG.infof(
                "Pseudonym keys resealed by %s: %d moved to the current key-encryption key, %d already under it",
                caller.name(), done.resealed(), done.alreadyCurrent()));
    }
}
