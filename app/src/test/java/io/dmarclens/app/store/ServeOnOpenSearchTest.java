package io.dmarclens.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.app.config.ServeConfig;
import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.testkit.Corpus;
import io.dmarclens.web.WebClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --opensearch URL} (the flag's override and the environment's keys, as the command gives them)
 * on a real OpenSearch node: its users are in the cluster, and every page the dashboard links to, followed
 * from the overview, answers 200 without an error text.
 */
@ExtendWith(DropIndicesAfterClass.class)
class ServeOnOpenSearchTest {
    private static final Pattern HREF = Pattern.compile("href=\"(/[^\"#]*)\"");
    private static final int MAX_PAGES = 150;

    @TempDir
    Path dir;

    @Test
    void everyPageLinkedFromTheDashboardWorksOnOpenSearch() throws Exception {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        ServeConfig config = new ConfigLoader(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", prefix,
                "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0")).load(null, new ConfigOverrides(dir.resolve("data"),
                "127.0.0.1:0", "127.0.0.1:0", List.of(), true, node.url().toString()));
        assertTrue(config.store().onOpenSearch());
        try (ServeRuntime serve = ServeRuntime.start(config)) {
            assertTrue(serve.store() instanceof OpenSearchStore, "the store is OpenSearch");
            fill(serve);
            serve.users().addOrReplace("alice", "correct horse battery".toCharArray());
            // Users (and the audit log, the sessions, the alerts) are in the cluster: a web.db of the node has no user.
            try (io.dmarclens.index.users.SqliteAccounts local = io.dmarclens.index.users.SqliteAccounts.open(
                    dir.resolve("data"))) {
                assertEquals(List.of(), local.list(), "users are in the cluster, not web.db");
            }
            try (io.dmarclens.opensearch.OpenSearchAccounts cluster = io.dmarclens.opensearch.OpenSearchAccounts.open(
                    config.store().opensearch())) {
                assertTrue(cluster.passwordHash("alice").isPresent(), "alice is in the cluster");
            }

            WebClient web = new WebClient(serve.web().port());
            assertEquals(303, web.login("alice", "correct horse battery").statusCode());
            Set<String> seen = new LinkedHashSet<>();
            Deque<String> next = new ArrayDeque<>(List.of("/?range=365"));
            while (!next.isEmpty() && seen.size() < MAX_PAGES) {
                String path = next.poll();
                if (!seen.add(path)) {
                    continue;
                }
                HttpResponse<String> r = web.get(path);
                assertEquals(200, r.statusCode(), path + ": " + r.body());
                for (String error : List.of("cannot answer right now", "Something went wrong", "Exception")) {
                    assertFalse(r.body().contains(error), path + " shows " + error);
                }
                if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                    Matcher m = HREF.matcher(r.body());
                    while (m.find()) {
                        String link = m.group(1).replace("&amp;", "&");
                        if (!link.startsWith("/logout") && !link.startsWith("/static") && !seen.contains(link)) {
                            next.add(link);
                        }
                    }
                }
            }
            // The overview, reports, report details, sources, domains, reporters, failure and TLS pages at least.
            assertTrue(seen.size() >= 40, "pages crawled: " + seen.size() + " " + seen);
            for (String page : List.of("/reports/", "/failures", "/tls")) {
                assertTrue(seen.stream().anyMatch(p -> p.startsWith(page)), page + " crawled: " + seen);
            }
        }
    }

    private static void fill(ServeRuntime serve) throws Exception {
        try (PipelineSetup p = PipelineSetup.open(serve.store(), new ReportParser()::parse,
                new io.dmarclens.ingest.enrich.EnrichmentSettings(true, null, List.of(), null, List.of()),
                CommitMode.GROUPED, serve.clock())) {
            try (Stream<Path> walk = Files.walk(Corpus.sampleReports())) {
                for (Path f : walk.filter(Files::isRegularFile).filter(x -> !x.toString().endsWith(".md")
                        && !x.toString().endsWith(".py")).sorted().toList()) {
                    p.pipeline().importFile("file", f.getFileName().toString(), f);
                }
            }
            for (GeneratedReport r : new DemoDataGenerator().generate(LocalDate.now(serve.clock()), 3, 5)) {
                p.pipeline().importBytes("file", r.fileName(), r.content());
            }
        }
        serve.store().flush();
        serve.store().awaitIndexed();
    }
}
