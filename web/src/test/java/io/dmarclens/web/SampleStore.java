package io.dmarclens.web;

import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.FailureReportParser;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.parser.tlsrpt.TlsReportParser;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Fills a store from {@code sample-reports/}: the plain aggregate XML files, the failure report mails and
 * the uncompressed TLS JSON files, through the real parsers and enricher, and counts what went in so tests
 * can check the API against numbers worked out here rather than typed in.
 */
final class SampleStore {
    static final Path SAMPLES = Path.of("..", "sample-reports");

    long messages;
    long records;
    int aggregateReports;
    int failureReports;
    int tlsReports;
    final Set<String> ips = new HashSet<>();
    final Set<String> reporters = new HashSet<>();
    final Set<String> domains = new HashSet<>();

    static SampleStore fill(Store store) throws IOException {
        SampleStore facts = new SampleStore();
        Enricher enricher = Enricher.basic();
        for (Path xml : list(SAMPLES.resolve("aggregate"), ".xml")) {
            facts.aggregate(store, enricher, xml);
        }
        for (Path eml : list(SAMPLES.resolve("failure"), ".eml")) {
            byte[] bytes = Files.readAllBytes(eml);
            try {
                FailureReport r = new FailureReportParser(ParserLimits.DEFAULT).parseArf(ReportSource.of(eml.toString()), bytes);
                ImportBatch batch = store.beginImport(SourceFile.of(eml.getFileName().toString(), "test", bytes));
                if (batch.failure(r)) {
                    facts.failureReports++;
                }
                batch.commit();
            } catch (ReportParseException e) {
                // a plain-text notice, not ARF: the full pipeline reads those, this fixture does not
            }
        }
        for (Path json : list(SAMPLES.resolve("tls"), ".json")) {
            byte[] bytes = Files.readAllBytes(json);
            try (InputStream in = Files.newInputStream(json)) {
                TlsReport r = new TlsReportParser(ParserLimits.DEFAULT).parse(ReportSource.of(json.toString()), in);
                ImportBatch batch = store.beginImport(SourceFile.of(json.getFileName().toString(), "test", bytes));
                if (batch.tls(r)) {
                    facts.tlsReports++;
                }
                batch.commit();
            } catch (ReportParseException e) {
                throw new IOException(json + " should parse: " + e.getMessage(), e);
            }
        }
        store.awaitIndexed();
        return facts;
    }

    private void aggregate(Store store, Enricher enricher, Path xml) throws IOException {
        ImportBatch batch = store.beginImport(SourceFile.of(xml.getFileName().toString(), "test", xml));
        try (batch) {
            new AggregateXmlParser(ParserLimits.DEFAULT).parse(ReportSource.of(xml.toString()),
                    () -> Files.newInputStream(xml), new ReportHandler() {
                        AggregateHeader header;
                        boolean fresh;
                        long pendingMessages;
                        long pendingRecords;
                        final Set<String> pendingIps = new HashSet<>();

                        @Override
                        public void beginAggregate(AggregateHeader h) {
                            header = h;
                            fresh = batch.beginAggregate(h);
                            pendingMessages = 0;
                            pendingRecords = 0;
                            pendingIps.clear();
                        }

                        @Override
                        public void record(AggregateRecord r) {
                            if (fresh) {
                                batch.record(r, enricher.enrich(header.policy(), r, enricher.sender(r.sourceIp(), null)));
                                pendingMessages += r.count();
                                pendingRecords++;
                                if (!r.sourceIp().isBlank()) {
                                    pendingIps.add(r.sourceIp());
                                }
                            }
                        }

                        @Override
                        public void endPartialAggregate(List<ParseWarning> warnings,
                                                        io.dmarclens.parser.Truncation truncation) {
                            throw new AssertionError("a sample report is cut off: " + truncation);
                        }

                        @Override
                        public void endAggregate(List<ParseWarning> warnings) {
                            if (fresh) {
                                batch.endAggregate(warnings);
                                aggregateReports++;
                                messages += pendingMessages;
                                records += pendingRecords;
                                ips.addAll(pendingIps);
                                reporters.add(header.metadata().orgName());
                                domains.add(header.policy().domain().toLowerCase(java.util.Locale.ROOT));
                            }
                        }

                        @Override
                        public void abortAggregate(String reason) {
                            batch.abortAggregate(reason);
                        }

                        @Override
                        public void failure(FailureReport report) {
                        }

                        @Override
                        public void tls(TlsReport report) {
                        }
                    });
            batch.commit();
        } catch (ReportParseException e) {
            // some quirk samples hold no report at all (that is their point); the store gets nothing
        }
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
