package io.dmarclens.ingest.pipeline;

import io.dmarclens.ingest.dkim.DkimCheck;
import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.enrich.GeoLookup;
import io.dmarclens.ingest.enrich.OwnSenders;
import io.dmarclens.ingest.enrich.ReverseDns;
import io.dmarclens.ingest.enrich.SenderDirectory;
import io.dmarclens.ingest.enrich.StorePtrCache;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds an {@link ImportPipeline} over a store from settings, and owns what it opened (the reverse DNS
 * workers, the GeoIP files). Used by {@code import}, {@code serve} and the receivers.
 */
public final class PipelineSetup implements AutoCloseable {
    private final GeoLookup geo;
    private final ReverseDns reverseDns;
    private final ImportPipeline pipeline;

    private PipelineSetup(GeoLookup geo, ReverseDns reverseDns, ImportPipeline pipeline) {
        this.geo = geo;
        this.reverseDns = reverseDns;
        this.pipeline = pipeline;
    }

    /**
     * @param parser  the report parser, e.g. {@code new ReportParser()::parse}
     * @param commits how the store commits: bulk imports use {@link CommitMode#GROUPED} and call
     *                {@link Store#flush()} before reporting success
     * @param clock   the store's clock: reverse DNS answers are cached until a time on it, and the store reads
     *                their expiry on its own clock
     * @throws IOException              the user's sender file cannot be read
     * @throws IllegalArgumentException a setting is wrong (bad own-sender entry, bad sender file line,
     *                                  unknown DNS server host); the message names it
     */
    public static PipelineSetup open(Store store, ReportReader parser, EnrichmentSettings settings, CommitMode commits,
                                     Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        SenderDirectory directory = settings.sendersFile() == null ? SenderDirectory.builtIn()
                : SenderDirectory.withUserFile(settings.sendersFile());
        OwnSenders own = new OwnSenders(settings.ownSenders());
        GeoLookup geo = GeoLookup.open(settings.geoipFiles());
        Enricher enricher = new Enricher(directory, geo, own);
        StorePtrCache cache = new StorePtrCache(store);
        ReverseDns dns;
        if (settings.offline()) {
            dns = ReverseDns.offline(cache);
        } else {
            dns = new ReverseDns(settings.dnsServer() == null ? ReverseDns.systemResolver()
                    : ReverseDns.resolver(settings.dnsServer()), cache, ReverseDns.Settings.DEFAULT, clock);
        }
        DkimCheck dkim = settings.offline() ? DkimCheck.offline() : DkimCheck.online(settings.dnsServer(), clock);
        ImportPipeline pipeline = new ImportPipeline(parser, enricher, dns, new StoreSink(store, enricher, commits), dkim);
        return new PipelineSetup(geo, dns, pipeline);
    }

    public ImportPipeline pipeline() {
        return pipeline;
    }

    /** Reverse DNS lookups still queued or running. */
    public int pendingLookups() {
        return reverseDns.pending();
    }

    /** Waits at most {@code max} for queued reverse DNS lookups (e.g. before a command line exits). */
    public void awaitLookups(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (reverseDns.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws IOException {
        reverseDns.close();
        geo.close();
    }
}
