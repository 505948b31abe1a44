package io.dmarclens.ingest.pipeline;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.RecordEnrichment;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the sink's batch at the first report, so that an input holding no report leaves nothing in the
 * store (it goes to quarantine instead).
 */
final class LazyBatch implements ReportSink.Batch {
    private final ReportSink sink;
    private final String origin;
    private final String name;
    private final Path file;
    private final byte[] data;
    private ReportSink.Batch batch;

    LazyBatch(ReportSink sink, String origin, String name, Path file, byte[] data) {
        this.sink = sink;
        this.origin = origin;
        this.name = name;
        this.file = file;
        this.data = data;
    }

    private ReportSink.Batch batch() throws ImportException {
        if (batch == null) {
            batch = sink.openBatch(origin, name, file, data);
        }
        return batch;
    }

    @Override
    public boolean beginAggregate(AggregateHeader header, Authenticity authenticity) throws ImportException {
        return batch().beginAggregate(header, authenticity);
    }

    @Override
    public void record(AggregateRecord record, RecordEnrichment enrichment) throws ImportException {
        batch().record(record, enrichment);
    }

    @Override
    public boolean endAggregate(List<ParseWarning> warnings, Truncation truncation) throws ImportException {
        return batch().endAggregate(warnings, truncation);
    }

    @Override
    public void abortAggregate(String reason) throws ImportException {
        if (batch != null) {
            batch.abortAggregate(reason);
        }
    }

    @Override
    public boolean failure(FailureReport report, Authenticity authenticity) throws ImportException {
        return batch().failure(report, authenticity);
    }

    @Override
    public boolean tls(TlsReport report, Authenticity authenticity) throws ImportException {
        return batch().tls(report, authenticity);
    }

    @Override
    public void commit() throws ImportException {
        if (batch != null) {
            batch.commit();
        }
    }

    @Override
    public void close() throws ImportException {
        if (batch != null) {
            batch.close();
        }
    }
}
