package io.dmarclens.ingest.enrich;

import io.dmarclens.store.Clocks;

import com.google.common.net.HostAndPort;
import io.dmarclens.parser.DomainNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Reverse DNS (PTR) lookups in the background: a few worker threads, a short timeout, answers kept in a
 * {@link PtrCache} for a TTL. Imports never wait for it: they use what the cache knows and ask for the
 * rest, which fills in later.
 */
public final class ReverseDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseDns.class);

    /**
     * @param workers     lookups in flight at once
     * @param timeout     how long one lookup may take
     * @param ttl         how long a name is cached
     * @param negativeTtl how long "no PTR record" is cached
     * @param maxQueued   lookups waiting for a worker; more are dropped (asked again by a later import)
     */
    public record Settings(int workers, Duration timeout, Duration ttl, Duration negativeTtl, int maxQueued) {
        public static final Settings DEFAULT = new Settings(8, Duration.ofSeconds(2), Duration.ofDays(7),
                Duration.ofDays(1), 100_000);
    }

    private final Resolver resolver;
    private final PtrCache cache;
    private final Settings settings;
    private final Clock clock;
    private final ThreadPoolExecutor workers;
    private final Map<String, CompletableFuture<Optional<String>>> inFlight = new ConcurrentHashMap<>();

    public ReverseDns(Resolver resolver, PtrCache cache, Settings settings, Clock clock) {
        this(Objects.requireNonNull(resolver, "resolver"), cache, settings, clock, true);
    }

    private ReverseDns(Resolver resolver, PtrCache cache, Settings settings, Clock clock, boolean online) {
        this.resolver = online ? resolver : null;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (resolver != null) {
            resolver.setTimeout(settings.timeout());
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.maxQueued()), r -> {
                    Thread t = new Thread(r, "reverse-dns-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /** No DNS at all ({@code --offline}): only what the cache already knows. */
    public static ReverseDns offline(PtrCache cache) {
        return new ReverseDns(null, cache, Settings.DEFAULT, Clocks.system(), false);
    }

    /** Whether lookups go to DNS. */
    public boolean online() {
        return resolver != null;
    }

    /** A resolver for {@code host:port} (port 53 when omitted), e.g. {@code 127.0.0.1:5353}. */
    public static Resolver resolver(String hostPort) throws UnknownHostException {
        HostAndPort hp = HostAndPort.fromString(hostPort.strip()).withDefaultPort(53);
        SimpleResolver simple = new SimpleResolver(new InetSocketAddress(hp.getHost(), hp.getPort()));
        return simple;
    }

    /** The system's configured resolvers (/etc/resolv.conf). */
    public static Resolver systemResolver() {
        return new ExtendedResolver();
    }

    /** What the cache knows now about these addresses (see {@link PtrCache#lookup}). */
    public Map<String, Optional<String>> cached(Collection<String> ips) {
        return cache.lookup(ips);
    }

    /**
     * Looks the address up in the background; the future completes with the name, or empty when there
     * is none or the lookup failed (timeout, server failure, queue full). Never completes exceptionally.
     */
    public CompletableFuture<Optional<String>> resolve(String ip) {
        if (resolver == null || !OwnSenders.isAddress(ip)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> future = new CompletableFuture<>();
        CompletableFuture<Optional<String>> running = inFlight.putIfAbsent(ip, future);
        if (running != null) {
            return running;
        }
        try {
            workers.execute(() -> {
                try {
                    future.complete(lookup(ip));
                } catch (RuntimeException e) {
                    LOG.debug("reverse DNS of {} failed", ip, e);
                    future.complete(Optional.empty());
                } finally {
                    inFlight.remove(ip, future);
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.debug("reverse DNS queue full: {} is left for a later import", ip);
            inFlight.remove(ip, future);
            future.complete(Optional.empty());
        }
        return future;
    }

    /** Lookups queued or running, for progress and tests. */
    public int pending() {
        return inFlight.size();
    }

    private Optional<String> lookup(String ip) {
        Name name = ReverseMap.fromAddress(OwnSenders.address(ip));
        Message answer;
        try {
            answer = resolver.send(Message.newQuery(Record.newRecord(name, Type.PTR, DClass.IN)));
        } catch (IOException timeoutOrNetwork) {
            LOG.debug("reverse DNS of {}: {}", ip, timeoutOrNetwork.toString());
            return Optional.empty();
        }
        int rcode = answer.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            cache.store(ip, null, clock.instant().plus(settings.negativeTtl()));
            return Optional.empty();
        }
        if (rcode != Rcode.NOERROR) {
            LOG.debug("reverse DNS of {}: {}", ip, Rcode.string(rcode));
            return Optional.empty();
        }
        for (Record r : answer.getSection(Section.ANSWER)) {
            if (r instanceof PTRRecord ptr) {
                String target = DomainNames.normalise(ptr.getTarget().toString(true));
                cache.store(ip, target, clock.instant().plus(settings.ttl()));
                return Optional.ofNullable(target);
            }
        }
        cache.store(ip, null, clock.instant().plus(settings.negativeTtl()));
        return Optional.empty();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
