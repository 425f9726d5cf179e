package dev.megacuration.analytics.security;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's organisation, from an API token's identity or a Keycloak token's {@code tenant} claim. */
public final class CallerTenant {
    public static final String ATTRIBUTE = "tenant";

    private CallerTenant() {
    }

    public static String of(SecurityIdentity identity) {
        Object fromApiToken = identity.getAttribute(ATTRIBUTE);
        if (fromApiToken != null) {
            return fromApiToken.toString();
        }
        if (identity.getPrincipal() instanceof JsonWebToken token
                && token.getClaim("tenant") instanceof String tenant) {
            return tenant;
        }
        return null;
    }
}
