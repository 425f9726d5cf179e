package dev.megacuration.privacy.apitoken;

import dev.megacuration.privacy.plan.TenantPlans;
import dev.megacuration.privacy.secret.BearerSecrets;
import dev.megacuration.privacy.tier.Feature;
import dev.megacuration.privacy.tier.TierPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * API tokens (`mct_…`) that let a tenant's programs read its analytics without a person's login. Each
 * request authenticates against the hash and the tenant's current plan, so revoking a token or leaving
 * the tiers that include them takes effect at once (plans within their 5 s cache).
 */
@ApplicationScoped
public class ApiTokens {
    public static final String PREFIX = "mct_";

    /** A created token: the listing and, once, the secret. */
    public record Created(ApiToken token, String secret) {
    }

    /** Who a valid token speaks for. */
    public record Holder(UUID tokenId, String tenant, String name) {
    }

    private final Pool pool;
    private final TenantPlans plans;

    public ApiTokens(Pool pool, TenantPlans plans) {
        this.pool = pool;
        this.plans = plans;
    }

    /** Creates a token if the tenant's tier includes API tokens (else TierRequiredException, a 403). */
    public Uni<Created> create(String tenant, String name, String actor) {
        return plans.of(tenant).invoke(plan -> TierPolicy.require(plan.tier(), Feature.API_TOKENS))
                .flatMap(plan -> {
                    String secret = BearerSecrets.newSecret(PREFIX);
                    UUID id = UUID.randomUUID();
                    return pool.preparedQuery("""
                                    INSERT INTO privacy.api_token (id, tenant, name, token_hash, created_by)
                                    VALUES ($1, $2, $3, $4, $5)
                                    RETURNING id, tenant, name, created_by, created_at, revoked_at""")
                            .execute(Tuple.of(id, tenant, name, BearerSecrets.sha256Hex(secret), actor))
                            .map(rows -> new Created(toToken(rows.iterator().next()), secret));
                });
    }

    public Uni<List<ApiToken>> list(String tenant) {
        return pool.preparedQuery("SELECT id, tenant, name, created_by, created_at, revoked_at FROM privacy.api_token "
                        + "WHERE tenant = $1 ORDER BY created_at")
                .execute(Tuple.of(tenant)).map(rows -> {
                    List<ApiToken> tokens = new ArrayList<>();
                    rows.forEach(row -> tokens.add(toToken(row)));
                    return tokens;
                });
    }

    /** Revokes a token of the tenant; false when it has no such (unrevoked) token. */
    public Uni<Boolean> revoke(String tenant, UUID id) {
        return pool.preparedQuery("UPDATE privacy.api_token SET revoked_at = now() "
                        + "WHERE id = $1 AND tenant = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(id, tenant)).map(rows -> rows.rowCount() == 1);
    }

    /** The holder of a valid, unrevoked token whose tenant's plan still includes API tokens; null otherwise. */
    public Uni<Holder> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT id, tenant, name FROM privacy.api_token "
                        + "WHERE token_hash = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(BearerSecrets.sha256Hex(secret)))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    Holder holder = new Holder(row.getUUID("id"), row.getString("tenant"), row.getString("name"));
                    return plans.of(holder.tenant())
                            .map(plan -> plan.tier().allows(Feature.API_TOKENS) ? holder : null);
                });
    }


    private static ApiToken toToken(Row row) {
        return new ApiToken(row.getUUID("id"), row.getString("tenant"), row.getString("name"),
                row.getString("created_by"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("revoked_at"));
    }
}
