package dev.megacuration.analytics.security;

import dev.megacuration.privacy.apitoken.ApiTokens;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An API token acts as an author of its tenant, and of no other: role {@code author}, attribute
 * {@code tenant}. Revoked tokens, unknown ones and tokens of tenants whose plan no longer includes API
 * tokens are refused (401).
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {
    private final ApiTokens tokens;

    public ApiTokenIdentityProvider(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return tokens.authenticate(request.secret()).map(holder -> {
            if (holder == null) {
                throw new AuthenticationFailedException("unknown, revoked or unlicensed API token");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal("api-token:" + holder.tokenId()))
                    .addRole("author")
                    .addAttribute(CallerTenant.ATTRIBUTE, holder.tenant())
                    .build();
        });
    }
}
