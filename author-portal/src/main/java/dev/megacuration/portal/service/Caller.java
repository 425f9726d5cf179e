package dev.megacuration.portal.service;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: their subject, tenant claim and access token, whether from a session or a bearer token. */
@RequestScoped
public class Caller {
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public Caller(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public String subject() {
        return token.getSubject();
    }

    public String name() {
        String preferred = token.getClaim("preferred_username");
        return preferred != null ? preferred : identity.getPrincipal().getName();
    }

    /** The caller's organisation; authors without one are refused rather than shown everything. */
    public String tenant() {
        String tenant = token.getClaim("tenant");
        if (tenant == null || tenant.isBlank()) {
            throw new ForbiddenException("Your account belongs to no author organisation");
        }
        return tenant;
    }

    /** The caller's organisation, or null for users who belong to none (consumers, admins). */
    public String tenantOrNull() {
        return token.getClaim("tenant");
    }

    /**
     * The caller may manage this tenant's bundles: an author of that organisation, or an admin. To anyone
     * else the tenant's bundles do not exist (404), so probing names reveals nothing.
     */
    public void requireTenant(String tenant) {
        if (hasRole("admin")) {
            return;
        }
        String own = token.getClaim("tenant");
        if (!hasRole("author") || own == null || !own.equals(tenant)) {
            throw new NotFoundException("No such bundle");
        }
    }

    /** A client-credentials token (the curation runner), not a person. */
    public boolean isServiceAccount() {
        return name().startsWith("service-account-");
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public boolean isAnonymous() {
        return identity.isAnonymous();
    }

    /** "Bearer …" for calls made on the caller's behalf to other MegaCuration APIs. */
    public String bearer() {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null) {
            throw new ForbiddenException("No access token in this session");
        }
        return "Bearer " + credential.getToken();
    }
}
