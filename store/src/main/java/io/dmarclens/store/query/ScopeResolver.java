package io.dmarclens.store.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Resolves scopes against the domains a store holds, reading them once and again only after a commit or a
 * retention run said they may have changed ({@link #invalidate()}). Thread-safe. A scope of every domain never
 * reads anything.
 */
public final class ScopeResolver {
    private final Supplier<KnownDomains> loader;
    private final boolean cache;
    private final Clock clock;
    private final Duration maxAge;
    private Instant loadedAt;
    /** Scopes resolved against {@link #resolvedFor}: a few per user and token, so bounded and cleared when full. */
    private final java.util.Map<DomainScope, ResolvedScope> resolved = new java.util.HashMap<>();
    private KnownDomains resolvedFor;
    private final Object lock = new Object();
    private long generation;
    private KnownDomains cached;
    private long cachedGeneration = -1;

    /** @param loader reads the domains the store holds now */
    public ScopeResolver(Supplier<KnownDomains> loader) {
        this(loader, true, null, null);
    }

    /**
     * A resolver that also reads the domains again once they are {@code maxAge} old: for a store that other
     * processes write to (cluster nodes), whose commits it is not told of.
     */
    public ScopeResolver(Supplier<KnownDomains> loader, Clock clock, Duration maxAge) {
        this(loader, true, Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(maxAge, "maxAge"));
    }

    private ScopeResolver(Supplier<KnownDomains> loader, boolean cache, Clock clock, Duration maxAge) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.cache = cache;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** A resolver that reads the domains for every scope (for a reader that is not told of commits). */
    public static ScopeResolver uncached(Supplier<KnownDomains> loader) {
        return new ScopeResolver(loader, false, null, null);
    }

    /** The scope resolved against what is stored now. */
    public ResolvedScope resolve(DomainScope scope) {
        if (scope == null || scope.isAll()) {
            return ResolvedScope.all();
        }
        KnownDomains known = known();
        synchronized (lock) {
            if (resolvedFor != known) {
                resolved.clear();
                resolvedFor = known;
            }
            ResolvedScope r = resolved.get(scope);
            if (r != null) {
                return r;
            }
        }
        ResolvedScope r = ResolvedScope.of(scope, known);
        synchronized (lock) {
            if (resolvedFor == known) {
                if (resolved.size() >= 1_000) {
                    resolved.clear();
                }
                resolved.put(scope, r);
            }
        }
        return r;
    }

    /** The domains held (cached until the next {@link #invalidate()}). */
    public KnownDomains known() {
        if (!cache) {
            return loader.get();
        }
        long gen;
        synchronized (lock) {
            if (cached != null && cachedGeneration == generation
                    && (clock == null || clock.instant().isBefore(loadedAt.plus(maxAge)))) {
                return cached;
            }
            gen = generation;
        }
        KnownDomains loaded = loader.get();
        synchronized (lock) {
            // a commit while loading may have added a domain the load missed: keep it only if none came
            if (gen == generation) {
                cached = loaded;
                cachedGeneration = gen;
                loadedAt = clock == null ? null : clock.instant();
            }
        }
        return loaded;
    }

    /** Forgets the domains read: reports were stored or deleted. */
    public void invalidate() {
        synchronized (lock) {
            generation++;
            cached = null;
        }
    }
}
