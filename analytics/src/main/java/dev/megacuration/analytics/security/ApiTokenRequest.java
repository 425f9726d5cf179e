package dev.megacuration.analytics.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request carrying a tenant's API token (`Bearer mct_…`) instead of a Keycloak access token. */
public class ApiTokenRequest extends BaseAuthenticationRequest {
    private final String secret;

    public ApiTokenRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
