package io.dmarclens.ingest.pipeline;

import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The pipeline's reports go into the {@link Store}; a reverse DNS name arriving later updates the
 * source's records and classifies them again.
 */
public final class StoreSink implements ReportSink {
    private final Store store;
    private final Enricher enricher;
    private final CommitMode commits;

    public StoreSink(Store store, Enricher enricher) {
        this(store, enricher, CommitMode.EACH_REPORT);
    }

    /** @param commits when reports are committed; with {@link CommitMode#GROUPED} the caller flushes the store */
    public StoreSink(Store store, Enricher enricher, CommitMode commits) {
        this.store = Objects.requireNonNull(store, "store");
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.commits = Objects.requireNonNull(commits, "commits");
    }

    @Override
    public Batch openBatch(String origin, String name, Path file, byte[] data) throws ImportException {
        String kind = origin.indexOf(':') > 0 ? origin.substring(0, origin.indexOf(':')) : origin;
        try {
            SourceFile source = file != null ? SourceFile.of(name, kind, file) : SourceFile.of(name, kind, data);
            return new StoreBatch(store.beginImport(source, commits));
        } catch (IOException e) {
            throw new ImportException("cannot read " + name + ": " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new ImportException("cannot store " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void updateSender(String ip, SenderInfo sender) throws ImportException {
        try {
            store.updateSender(ip, sender);
            store.reclassify(ip, facts -> enricher.enrich(facts.policy(), facts.record(), sender));
        } catch (StoreException e) {
            throw new ImportException("cannot store the sender of " + ip + ": " + e.getMessage(), e);
        }
    }

    private record StoreBatch(ImportBatch batch) implements Batch {
        @Override
        public boolean beginAggregate(AggregateHeader header, Authenticity authenticity) throws ImportException {
            return call(() -> batch.beginAggregate(header, authenticity));
        }

        @Override
        public void record(AggregateRecord record, RecordEnrichment enrichment) throws ImportException {
            call(() -> {
                batch.record(record, enrichment);
                return true;
            });
        }

        @Override
        public boolean endAggregate(List<ParseWarning> warnings, Truncation truncation) throws ImportException {
            return call(() -> batch.endAggregate(warnings, truncation));
        }

        @Override
        public void abortAggregate(String reason) throws ImportException {
            call(() -> {
                batch.abortAggregate(reason);
                return true;
            });
        }

        @Override
        public boolean failure(FailureReport report, Authenticity authenticity) throws ImportException {
            return call(() -> batch.failure(report, authenticity));
        }

        @Override
        public boolean tls(TlsReport report, Authenticity authenticity) throws ImportException {
            return call(() -> batch.tls(report, authenticity));
        }

        @Override
        public void commit() throws ImportException {
            call(() -> {
                batch.commit();
                return true;
            });
        }

        @Override
        public void close() throws ImportException {
            call(() -> {
                batch.close();
                return true;
            });
        }

        private static boolean call(java.util.function.BooleanSupplier action) throws ImportException {
            try {
                return action.getAsBoolean();
            } catch (StoreException e) {
                throw new ImportException("the store failed: " + e.getMessage(), e);
            }
        }
    }
}
