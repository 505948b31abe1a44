package io.dmarclens.web;

import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.store.ingestlog.ProcessingResult;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Processes inbox messages that are plain aggregate XML with the real parser, enricher and store, for
 * the dashboard's tests of upload and quarantine (the full container-aware pipeline is wired by serve).
 */
final class XmlReportProcessor implements MessageProcessor {
    private final Store store;
    private final Enricher enricher = Enricher.basic();

    XmlReportProcessor(Store store) {
        this.store = store;
    }

    @Override
    public ProcessingResult process(InboxMessage message, Path data) throws java.io.IOException {
        ImportBatch batch = store.beginImport(SourceFile.of(message.name(), "upload", data));
        int[] reports = {0};
        long[] records = {0};
        try (batch) {
            new AggregateXmlParser(ParserLimits.DEFAULT).parse(ReportSource.of(message.name()),
                    () -> Files.newInputStream(data), new ReportHandler() {
                        AggregateHeader header;

                        @Override
                        public void beginAggregate(AggregateHeader h) {
                            header = h;
                            batch.beginAggregate(h);
                        }

                        @Override
                        public void record(AggregateRecord r) {
                            batch.record(r, enricher.enrich(header.policy(), r, enricher.sender(r.sourceIp(), null)));
                            records[0]++;
                        }

                        @Override
                        public void endAggregate(List<ParseWarning> warnings) {
                            batch.endAggregate(warnings);
                            reports[0]++;
                        }

                        @Override
                        public void endPartialAggregate(List<ParseWarning> warnings,
                                                        io.dmarclens.parser.Truncation truncation) {
                            batch.endAggregate(warnings, truncation);
                            reports[0]++;
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
            return ProcessingResult.invalid(e.getMessage());
        }
        return new ProcessingResult(reports[0], records[0], 0, Set.of("aggregate"), List.of(), null);
    }
}
