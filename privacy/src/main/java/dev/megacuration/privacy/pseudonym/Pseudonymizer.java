package dev.megacuration.privacy.pseudonym;

import dev.megacuration.privacy.config.PrivacyConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a deployment id into a keyed HMAC pseudonym at the ingest edge: {@code HMAC-SHA256(key, id)} with a
 * random key per tenant and rotation epoch ({@link Epoch}), so one deployment's pseudonyms are unlinkable
 * across tenants and across quarters. Keys live only in PostgreSQL, sealed under the configured
 * key-encryption key; opened keys are kept in memory, never logged, never sent anywhere.
 */
@ApplicationScoped
public class Pseudonymizer {
    private static final String HMAC = "HmacSHA256";
    private static final int PSEUDONYM_BYTES = 16;

    private final PseudonymKeyRepository keys;
    private final KeySealer sealer;
    private final Map<String, byte[]> opened = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(Pseudonymizer::newMac);

    @Inject
    public Pseudonymizer(PseudonymKeyRepository keys, PrivacyConfig config) {
        this(keys, config.keyEncryptionKey(), config.previousKeyEncryptionKeys().orElse(List.of()));
    }

    Pseudonymizer(PseudonymKeyRepository keys, String keyEncryptionKey) {
        this(keys, keyEncryptionKey, List.of());
    }

    Pseudonymizer(PseudonymKeyRepository keys, String keyEncryptionKey, List<String> previousKeyEncryptionKeys) {
        this.keys = keys;
        this.sealer = new KeySealer(keyEncryptionKey, previousKeyEncryptionKeys);
    }

    /** What a reseal did: keys moved to the current key-encryption key, and keys already under it. */
    public record Reseal(int resealed, int alreadyCurrent) {
    }

    /**
     * Seals every stored key that a previous key-encryption key sealed under the current one: the middle
     * step of a rotation (deploy the new KEK with the old one as previous, reseal, drop the old one). The
     * plain keys do not change, so no pseudonym does. Safe to repeat and to run on two replicas at once.
     */
    public Uni<Reseal> resealAll() {
        return keys.all().flatMap(all -> {
            List<PseudonymKeyRepository.SealedKey> stale = all.stream()
                    .filter(key -> !sealer.sealedUnderCurrent(key.sealed(), key.tenant(), key.epoch())).toList();
            if (stale.isEmpty()) {
                return Uni.createFrom().item(new Reseal(0, all.size()));
            }
            List<Uni<Boolean>> updates = stale.stream().map(key -> keys.reseal(key, sealer.seal(
                    sealer.open(key.sealed(), key.tenant(), key.epoch()), key.tenant(), key.epoch()))).toList();
            return Uni.join().all(updates).andFailFast()
                    .map(done -> new Reseal((int) done.stream().filter(Boolean::booleanValue).count(),
                            all.size() - stale.size()));
        });
    }

    /** The pseudonym of a deployment in a tenant's data at a time (which picks the epoch's key). */
    public Uni<String> pseudonym(String tenant, UUID deploymentId, Instant at) {
        String epoch = Epoch.of(at);
        byte[] key = opened.get(cacheKey(tenant, epoch));
        if (key != null) {
            return Uni.createFrom().item(hmac(key, deploymentId));
        }
        return keyOf(tenant, epoch).map(k -> hmac(k, deploymentId));
    }

    /**
     * The pseudonym if the epoch's key is open in memory already (nearly always), else null: the ingest
     * edge's fast path, without a {@code Uni} (each of its stages costs a context capture).
     */
    public String pseudonymIfKeyOpen(String tenant, UUID deploymentId, Instant at) {
        byte[] key = opened.get(cacheKey(tenant, Epoch.of(at)));
        return key == null ? null : hmac(key, deploymentId);
    }

    /** Every pseudonym the deployment has had in a tenant's data: one per epoch that has a key. */
    public Uni<List<String>> allPseudonyms(String tenant, UUID deploymentId) {
        return keys.allOf(tenant).map(sealed -> sealed.stream()
                .map(key -> hmac(open(key), deploymentId)).toList());
    }

    private Uni<byte[]> keyOf(String tenant, String epoch) {
        return keys.find(tenant, epoch)
                .flatMap(found -> found != null ? Uni.createFrom().item(found)
                        : keys.putIfAbsent(new PseudonymKeyRepository.SealedKey(tenant, epoch,
                                sealer.seal(KeySealer.newKey(), tenant, epoch))))
                .map(this::open);
    }

    private byte[] open(PseudonymKeyRepository.SealedKey sealed) {
        return opened.computeIfAbsent(cacheKey(sealed.tenant(), sealed.epoch()),
                any -> sealer.open(sealed.sealed(), sealed.tenant(), sealed.epoch()));
    }

    private String hmac(byte[] key, UUID deploymentId) {
        Mac mac = macs.get();
        try {
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an HMAC key of 32 bytes is always valid", e);
        }
        byte[] digest = mac.doFinal(deploymentId.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, PSEUDONYM_BYTES);
    }

    private static String cacheKey(String tenant, String epoch) {
        return tenant + "\n" + epoch;
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + HMAC, e);
        }
    }
}
