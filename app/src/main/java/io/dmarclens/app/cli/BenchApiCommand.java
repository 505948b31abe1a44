package io.dmarclens.app.cli;

import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.WebApp;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench api}: starts the dashboard on a store (e.g. the one {@code bench import --keep} leaves)
 * and times the overview's endpoints through HTTP, reading the server's own time from the
 * {@code Server-Timing} header and the client's wall time beside it.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Time the overview's API endpoints through HTTP against an existing store.")
public final class BenchApiCommand implements Callable<Integer> {
    private static final List<String> ENDPOINTS = List.of("/api/overview", "/api/charts/volume",
            "/api/charts/alignment", "/api/charts/disposition", "/api/charts/classification",
            "/api/charts/top-failing", "/api/sources/failing", "/");

    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();
    /** {@code --opensearch URL}: the store on an OpenSearch cluster instead of the data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();
    @Option(names = "--runs", defaultValue = "15", description = "timed requests per endpoint (default: ${DEFAULT-VALUE})")
    int runs;
    @Option(names = "--days", defaultValue = "0",
            description = "range in days ending with the store's last day; 0 = everything stored (default)")
    int days;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("dmarc-lens-bench-api");
        String where = storeOption.settings().onOpenSearch() ? storeOption.settings().describe() : data.path().toString();
        try (Store store = storeOption.openForReading(data, StoreOption.clock()); UserStore users = new UserStore(SqliteAccounts.open(tmp), 4)) {
            List<DailyTotals> daily = store.overview().daily(ReportFilter.all());
            if (daily.isEmpty()) {
                spec.commandLine().getErr().println("bench api: the store in " + where + " holds no aggregate records");
                return 2;
            }
            LocalDate last = daily.get(daily.size() - 1).day();
            LocalDate first = days > 0 ? last.minusDays(days - 1L) : daily.get(0).day();
            if (first.plusDays(3650).isBefore(last)) {
                first = last.minusDays(3650);
            }
            long messages = store.overview().totals(ReportFilter.all()).messages();
            users.addOrReplace("bench", "bench-password".toCharArray());
            String token = users.issueToken("bench");
            WebApp app = new WebApp(store, new NoIngest(), users, WebSettings.defaults()).start("127.0.0.1", 0);
            try {
                String filter = "?range=custom&from=" + first + "&to=" + last;
                out.printf(Locale.ROOT, "bench api: store %s, %,d messages, range %s..%s, %d runs per endpoint%n",
                        where, messages, first, last, runs);
                out.printf(Locale.ROOT, "%-28s %10s %10s %10s %12s%n", "endpoint", "median ms", "p95 ms", "max ms", "client med");
                HttpClient http = HttpClient.newHttpClient();
                double worstMedian = 0;
                for (String endpoint : ENDPOINTS) {
                    URI uri = URI.create("http://127.0.0.1:" + app.port() + endpoint + filter);
                    HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET().build();
                    time(http, req); // warm-up: first query compiles statements, fills caches
                    List<Double> server = new ArrayList<>();
                    List<Double> client = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        double[] t = time(http, req);
                        server.add(t[0]);
                        client.add(t[1]);
                    }
                    Collections.sort(server);
                    Collections.sort(client);
                    double median = pct(server, 50);
                    worstMedian = Math.max(worstMedian, median);
                    out.printf(Locale.ROOT, "%-28s %10.1f %10.1f %10.1f %12.1f%n", endpoint, median, pct(server, 95),
                            server.get(server.size() - 1), pct(client, 50));
                }
                out.printf(Locale.ROOT, "slowest median (server time): %.1f ms (target < 300 ms)%n", worstMedian);
            } finally {
                app.stop();
            }
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** Server time from Server-Timing and client wall time, in ms. */
    private static double[] time(HttpClient http, HttpRequest req) throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        double client = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        double server = r.headers().firstValue("Server-Timing")
                .map(v -> Double.parseDouble(v.replaceAll(".*dur=", ""))).orElse(client);
        return new double[]{server, client};
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** The benchmark serves no Ingest page. */
    private static final class NoIngest implements IngestConsole {
        @Override
        public List<LogEntry> log(int offset, int limit) {
            return List.of();
        }

        @Override
        public long logSize() {
            return 0;
        }

        @Override
        public List<Quarantined> quarantine() {
            return List.of();
        }

        @Override
        public Optional<InputStream> openQuarantined(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<String> retry(String id) {
            return Optional.empty(); // the benchmark has no quarantine
        }

        @Override
        public String accept(String user, String fileName, InputStream data) throws IOException {
            throw new java.io.IOException("not available in the benchmark");
        }
    }
}
