package dev.megacuration.ingest.service;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CaffeineCache;
import java.util.concurrent.CompletableFuture;

/** Reads an answer that a {@code @CacheResult} method keeps, without calling the method. */
public final class Kept {
    private Kept() {
    }

    /**
     * The value kept under the key of a {@code @CacheResult} method's cache (its arguments: the one argument
     * itself, or a {@code CompositeCacheKey} of all of them), or null when there is none yet or it is still
     * being computed.
     */
    public static Object valueOf(Cache cache, Object key) {
        CompletableFuture<Object> kept = cache.as(CaffeineCache.class).getIfPresent(key);
        if (kept == null || !kept.isDone() || kept.isCompletedExceptionally()) {
            return null;
        }
        return kept.getNow(null);
    }
}
