package io.dmarclens.app.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same imports into the embedded store and into OpenSearch (a real node, 2 shards per index) give the same
 * answers to every query the dashboard and the API make (issue #9): the reports are read by the same import
 * pipeline into both, on one fixed clock, and every read model is asked the same questions over many filters
 * ({@link StoreAnswers}). Ids differ between the stores (rows counted up there, hashes of identities here), so
 * answers are compared with ids taken out and references followed by content.
 */
@ExtendWith(DropIndicesAfterClass.class)
class CrossStoreEqualityTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-07-01T08:00:00Z"), ZoneOffset.UTC);
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());

    @TempDir
    Path dir;

    @Test
    void sampleReportsAndGeneratedTrafficAnswerAlike() {
        compare("samples", importer -> {
            files(Corpus.sampleReports()).forEach(importer::file);
            // A week of the demo world: several reporters and domains, forwarding, threats, failure and TLS reports.
            for (GeneratedReport r : new DemoDataGenerator().generate(LocalDate.of(2024, 6, 30), 7, 7)) {
                importer.bytes(r.fileName(), r.content());
            }
        });
    }

    @Test
    void sharedCorpusAnswersAlike() {
        Path corpus = Corpus.sharedCorpusOrSkip();
        compare("corpus", importer -> files(corpus).forEach(importer::file));
    }

    private interface Imports {
        void into(Importer importer);
    }

    /**
     * One import pipeline per store; every input goes into both, and each store commits it before the next
     * input, so that what enrichment reads back from a store (senders of earlier reports) is the same in
     * both, whenever a grouped commit would have happened.
     */
    private static final class Importer {
        private final List<Store> stores;
        private final List<PipelineSetup> pipelines;

        Importer(List<Store> stores, List<PipelineSetup> pipelines) {
            this.stores = stores;
            this.pipelines = pipelines;
        }

        void file(Path file) {
            for (int i = 0; i < pipelines.size(); i++) {
                try {
                    pipelines.get(i).pipeline().importFile("file", file.getFileName().toString(), file);
                } catch (ImportException e) {
                    throw new IllegalStateException(e);
                }
                stores.get(i).flush();
            }
        }

        void bytes(String name, byte[] data) {
            for (int i = 0; i < pipelines.size(); i++) {
                try {
                    pipelines.get(i).pipeline().importBytes("file", name, data);
                } catch (ImportException e) {
                    throw new IllegalStateException(e);
                }
                stores.get(i).flush();
            }
        }
    }

    private void compare(String name, Imports imports) {
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        try (Store embedded = EmbeddedStore.open(dir.resolve(name), CLOCK);
             Store search = OpenSearchStore.open(node.settings(OpenSearchTestNode.prefix(getClass(), dir.resolve(name))),
                     CLOCK)) {
            try (PipelineSetup a = PipelineSetup.open(embedded, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED, CLOCK);
                 PipelineSetup b = PipelineSetup.open(search, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED, CLOCK)) {
                imports.into(new Importer(List.of(embedded, search), List.of(a, b)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded.flush();
            search.flush();
            embedded.awaitIndexed();
            search.awaitIndexed();
            StoreAnswers expected = StoreAnswers.of(embedded);
            StoreAnswers actual = StoreAnswers.of(search);
            assertTrue(expected.size() > 100, "answers compared: " + expected.size());
            assertTrue(expected.messages() > 0, "messages stored");
            expected.assertSameAs(actual);
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".py"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
