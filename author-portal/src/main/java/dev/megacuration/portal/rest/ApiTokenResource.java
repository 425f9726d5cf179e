package dev.megacuration.portal.rest;

import dev.megacuration.format.store.ReleaseKey;
import dev.megacuration.portal.service.Caller;
import dev.megacuration.privacy.apitoken.ApiToken;
import dev.megacuration.privacy.apitoken.ApiTokens;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's API tokens for the analytics API (pro and enterprise): authors of the tenant create, list and
 * revoke them; the secret is in the creation answer only.
 */
@Path("/api/tenants/{tenant}/api-tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({"author", "admin"})
public class ApiTokenResource {
    /** What a new token is called, so its owners can tell tokens apart when revoking. */
    public record TokenRequest(@NotBlank @Size(max = 100) String name) {
    }

    /** The creation answer: the listing plus the secret, shown this once. */
    public record CreatedToken(ApiToken token, String secret) {
    }

    private final ApiTokens tokens;
    private final Caller caller;

    public ApiTokenResource(ApiTokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                                @Valid @NotNull TokenRequest request) {
        caller.requireTenant(tenant);
        return tokens.create(tenant, request.name(), caller.name())
                .map(created -> Response.created(URI.create("/api/tenants/" + tenant + "/api-tokens/"
                        + created.token().id())).entity(new CreatedToken(created.token(), created.secret())).build());
    }

    @GET
    public Uni<List<ApiToken>> list(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant) {
        caller.requireTenant(tenant);
        return tokens.list(tenant);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("tenant") @Pattern(regexp = ReleaseKey.SLUG) String tenant,
                                @PathParam("id") UUID id) {
        caller.requireTenant(tenant);
        return tokens.revoke(tenant, id).map(revoked -> {
            if (!revoked) {
                throw new NotFoundException("No active API token " + id);
            }
            return Response.noContent().build();
        });
    }
}
