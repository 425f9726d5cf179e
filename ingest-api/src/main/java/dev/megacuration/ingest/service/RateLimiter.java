package dev.megacuration.ingest.service;

import dev.megacuration.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per deployment (per instance of this service): a misbehaving client slows itself down
 * without touching anyone else's reports.
 */
@ApplicationScoped
public class RateLimiter {
    private final double ratePerNano;
    private final double burst;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(IngestConfig config) {
        this.ratePerNano = config.ratePerSecond() / 1e9;
        this.burst = config.rateBurst();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    /** Takes {@code cost} tokens; false (and nothing taken) when the deployment is over its rate. */
    public boolean tryAcquire(UUID deployment, int cost) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(deployment, d -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * ratePerNano);
            bucket.refilledAt = now;
            if (bucket.tokens < cost) {
                return false;
            }
            bucket.tokens -= cost;
            return true;
        }
    }
}
