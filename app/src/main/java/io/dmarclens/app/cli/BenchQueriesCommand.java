package io.dmarclens.app.cli;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.DateSpan;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.search.SearchSyntaxException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc-lens bench queries}: times the dashboard's queries over an existing store, for the 90
 * days ending with the last day that holds data.
 */
@Command(name = "queries", mixinStandardHelpOptions = true,
        description = {"Times the dashboard queries (overview totals and daily series for 90 days, top 100 sources,",
                "top failing sources, forwarding sources, reporters) over the store in --data; prints p50/p95/max."})
public final class BenchQueriesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    /** {@code --opensearch URL}: the store on an OpenSearch cluster instead of the data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();


    @Option(names = "--runs", paramLabel = "N", defaultValue = "50", description = "timed runs of each query (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--request-cache", description = "on OpenSearch, let repeated runs answer from the shard request"
            + " cache (default: emptied before every run, as every refresh of a store receiving mail empties it)")
    boolean requestCache;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = storeOption.openForReading(data, StoreOption.clock())) {
            Optional<DateSpan> span = store.overview().dateSpan();
            if (span.isEmpty()) {
                spec.commandLine().getErr().println("dmarc-lens bench queries: the store in " + data.path()
                        + " holds no aggregate reports; import some first (e.g. ./dmarc-lens bench import)");
                return 1;
            }
            ReportFilter days90 = ReportFilter.lastDays(90, span.get().last());
            Map<String, Runnable> queries = new LinkedHashMap<>();
            queries.put("overview totals, 90 days", () -> store.overview().totals(days90));
            queries.put("daily series, 90 days", () -> store.overview().daily(days90));
            queries.put("top 100 sources, 90 days", () -> store.sources().sources(days90, SourceSort.MESSAGES, Page.first(100)));
            queries.put("top 100 failing sources, 90 days", () -> store.sources().failingSources(days90, Page.first(100)));
            queries.put("forwarding sources (100), 90 days", () -> store.forwarding().forwardingSources(days90, Page.first(100)));
            queries.put("forwarding series, 90 days", () -> store.forwarding().forwardingDaily(days90));
            queries.put("top 100 reporters, 90 days", () -> store.reporters().reporters(days90, Page.first(100)));
            queries.put("policy impact, 90 days", () -> store.domains().policyImpact(days90));
            // A dashboard filtered to one domain or one reporter reads other tables than the unfiltered one.
            String domain = store.reports().reports(days90, ReportSort.NEWEST, Page.first(1)).stream().findFirst()
                    .map(r -> r.policyDomain()).orElse(null);
            if (domain != null) {
                ReportFilter oneDomain = days90.withDomains(Set.of(domain));
                queries.put("totals, one domain, 90 days", () -> store.overview().totals(oneDomain));
                queries.put("top 100 sources, one domain", () -> store.sources().sources(oneDomain, SourceSort.MESSAGES, Page.first(100)));
                queries.put("forwarding sources, one domain", () -> store.forwarding().forwardingSources(oneDomain, Page.first(100)));
            }
            String reporter = store.reporters().reporters(days90, Page.first(1)).stream().findFirst()
                    .map(r -> r.reporter()).orElse(null);
            if (reporter != null) {
                ReportFilter oneReporter = days90.withReporters(Set.of(reporter));
                queries.put("top 100 sources, one reporter", () -> store.sources().sources(oneReporter, SourceSort.MESSAGES, Page.first(100)));
            }
            // Searches as the search page runs them: the newest 100 hits, then their rows.
            String ip = store.sources().sources(days90, SourceSort.MESSAGES, Page.first(1)).stream().findFirst()
                    .map(src -> src.ip()).orElse(null);
            List<String> searches = new ArrayList<>(List.of("class:threat", "dkim:fail AND spf:fail", "google"));
            if (domain != null) {
                searches.add("from:" + domain + " AND dmarc:fail");
            }
            if (ip != null && ip.indexOf('.') > 0) {
                searches.add("ip:" + ip.substring(0, ip.indexOf('.', ip.indexOf('.') + 1)) + ".0.0/16");
            }
            for (String q : searches) {
                queries.put("search " + q, () -> {
                    try {
                        List<Long> ids = store.search(q, 100).hits().stream().map(h -> h.id()).toList();
                        store.reports().records(ids);
                    } catch (SearchSyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            boolean onOpenSearch = storeOption.settings().onOpenSearch();
            out.printf("store %s, data %s .. %s, %d timed runs after %d warm-up runs%n",
                    onOpenSearch ? storeOption.settings().describe() : data.path(), span.get().first(),
                    span.get().last(), runs, warmup);
            // CPU time of the querying thread (SQLite runs on it): tells the query's own cost on a busy machine.
            // On OpenSearch the work is the node's: its CPU time over the timed runs, per run.
            Optional<NodeCpu> nodeCpu = onOpenSearch ? NodeCpu.of(storeOption.settings().opensearch()) : Optional.empty();
            Optional<RequestCache> cache = onOpenSearch ? RequestCache.of(storeOption.settings().opensearch())
                    : Optional.empty();
            out.printf("%-44s %9s %9s %9s %11s%s%n", "query", "p50 ms", "p95 ms", "max ms", "cpu p50 ms",
                    nodeCpu.isPresent() ? "  node cpu ms/run" : "");
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (Map.Entry<String, Runnable> q : queries.entrySet()) {
                for (int i = 0; i < warmup; i++) {
                    uncached(cache);
                    q.getValue().run();
                }
                long[] nanos = new long[runs];
                long[] cpu = new long[runs];
                long nodeBefore = nodeCpu.isPresent() ? nodeCpu.get().millis() : -1;
                for (int i = 0; i < runs; i++) {
                    uncached(cache);
                    long c = threads.getCurrentThreadCpuTime();
                    long t = System.nanoTime();
                    q.getValue().run();
                    nanos[i] = System.nanoTime() - t;
                    cpu[i] = threads.getCurrentThreadCpuTime() - c;
                }
                long nodeAfter = nodeCpu.isPresent() ? nodeCpu.get().millis() : -1;
                Arrays.sort(nanos);
                Arrays.sort(cpu);
                String node = nodeCpu.isEmpty() ? ""
                        : nodeBefore < 0 || nodeAfter < 0 ? "  n/a"
                        : String.format(java.util.Locale.ROOT, "  %16.1f", (nodeAfter - nodeBefore) / (double) runs);
                out.printf("%-44s %9.1f %9.1f %9.1f %11.1f%s%n", q.getKey(), ms(percentile(nanos, 50)),
                        ms(percentile(nanos, 95)), ms(nanos[nanos.length - 1]), ms(percentile(cpu, 50)), node);
                out.flush();
            }
        }
        return 0;
    }

    /** Empties OpenSearch's request cache unless {@code --request-cache}: its clearing is not timed. */
    private void uncached(Optional<RequestCache> cache) throws InterruptedException {
        if (!requestCache && cache.isPresent() && !cache.get().clear()) {
            throw new IllegalStateException("OpenSearch refused to empty its request cache; run with --request-cache");
        }
    }

    private static long percentile(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
