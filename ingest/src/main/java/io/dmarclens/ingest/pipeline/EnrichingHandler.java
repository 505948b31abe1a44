package io.dmarclens.ingest.pipeline;

import com.google.common.cache.Cache;
import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.ingest.enrich.ReverseDns;
import io.dmarclens.parser.HandlerFailure;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Receives one input's reports from the parser, enriches each aggregate record and hands it to the
 * store batch. Records are enriched in chunks so that the addresses of a chunk are looked up in the
 * PTR cache at once, while memory stays bounded however big a report is.
 */
final class EnrichingHandler implements ReportHandler {
    static final int CHUNK = 2_048;
    private static final int MAX_UNRESOLVED = 50_000;

    /** A store failure inside a handler callback, carried out of the parser to the pipeline. */
    static final class SinkFailure extends HandlerFailure {
        SinkFailure(ImportException cause) {
            super(cause.getMessage(), cause);
        }

        ImportException importException() {
            return (ImportException) getCause();
        }
    }

    private final ReportSink.Batch batch;
    private final Enricher enricher;
    private final ReverseDns reverseDns;
    private final Cache<String, SenderInfo> senders;
    /** How the input's origin was checked, per report (the reporter's domain decides alignment). */
    private final ReportOrigins authenticity;

    private final List<AggregateRecord> buffer = new ArrayList<>(CHUNK);
    private final Set<String> unresolved = new LinkedHashSet<>();
    private AggregateHeader current;
    private boolean skipping;
    private ReportSource abortedSource;
    private String abortedReason;
    private long currentRecords;

    int reports;
    long records;
    int duplicates;
    final Set<String> kinds = new TreeSet<>();
    final List<String> unreadable = new ArrayList<>();
    /** Reports stored as partial (their input stopped before their end), each as "source: reason". */
    final List<String> partial = new ArrayList<>();

    EnrichingHandler(ReportSink.Batch batch, Enricher enricher, ReverseDns reverseDns, Cache<String, SenderInfo> senders,
                     ReportOrigins authenticity) {
        this.batch = batch;
        this.authenticity = authenticity;
        this.enricher = enricher;
        this.reverseDns = reverseDns;
        this.senders = senders;
    }

    /** Addresses that had no cached reverse DNS answer, to look up once the batch is committed. */
    Set<String> unresolved() {
        return unresolved;
    }

    int reportsRead() {
        return reports + duplicates;
    }

    @Override
    public void beginAggregate(AggregateHeader header) {
        if (abortedSource != null && abortedSource.equals(header.source())) {
            // The parser reads the same part again (its repairing pass): the abort was not the last word.
            abortedSource = null;
            abortedReason = null;
        }
        finish();
        current = header;
        buffer.clear();
        currentRecords = 0;
        kinds.add("aggregate");
        Authenticity verdict = authenticity.aggregate(header);
        skipping = !call(() -> batch.beginAggregate(header, verdict));
    }

    @Override
    public void record(AggregateRecord record) {
        if (skipping || current == null) {
            return;
        }
        buffer.add(record);
        if (buffer.size() >= CHUNK) {
            flush();
        }
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        end(warnings, null);
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        end(warnings, truncation);
    }

    private void end(List<ParseWarning> warnings, Truncation truncation) {
        if (current == null) {
            return;
        }
        if (skipping) {
            call(() -> batch.endAggregate(warnings, truncation));
            duplicates++;
        } else {
            flush();
            if (call(() -> batch.endAggregate(warnings, truncation))) {
                reports++;
                records += currentRecords;
                if (truncation != null) {
                    partial.add(current.source() + ": " + truncation.reason());
                }
            } else {
                duplicates++;
            }
        }
        current = null;
    }

    @Override
    public void abortAggregate(String reason) {
        buffer.clear();
        if (current != null) {
            run(() -> batch.abortAggregate(reason));
        }
        ReportSource source = current == null ? null : current.source();
        if (abortedSource == null || !abortedSource.equals(source)) {
            finish();
        }
        abortedSource = source;
        abortedReason = (source == null ? "" : source + ": ") + reason;
        current = null;
    }

    /** Settles a pending abort: nothing re-read it, so that part stays unreadable. Called at the end of the input. */
    void finish() {
        if (abortedReason != null) {
            unreadable.add(abortedReason);
        }
        abortedSource = null;
        abortedReason = null;
    }

    @Override
    public void failure(FailureReport report) {
        finish();
        kinds.add("failure");
        Authenticity verdict = authenticity.failure(report);
        count(call(() -> batch.failure(report, verdict)));
    }

    @Override
    public void tls(TlsReport report) {
        finish();
        kinds.add("tls");
        Authenticity verdict = authenticity.tls(report);
        boolean stored = call(() -> batch.tls(report, verdict));
        count(stored);
        if (stored && report.partial()) {
            partial.add(report.source() + ": " + report.truncation().reason());
        }
    }

    @Override
    public void unreadable(ReportSource source, String reason) {
        finish();
        unreadable.add(source + ": " + reason);
    }

    private void count(boolean stored) {
        if (stored) {
            reports++;
        } else {
            duplicates++;
        }
    }

    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        // The shared cache is asked once per address of the chunk, not twice per record: each read of a
        // Guava cache also records the access, which cost more than the lookup itself.
        Map<String, SenderInfo> chunkSenders = new HashMap<>();
        Set<String> missing = new HashSet<>();
        for (AggregateRecord r : buffer) {
            String ip = r.sourceIp();
            if (!chunkSenders.containsKey(ip) && !missing.contains(ip)) {
                SenderInfo known = senders.getIfPresent(ip);
                if (known == null) {
                    missing.add(ip);
                } else {
                    chunkSenders.put(ip, known);
                }
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Optional<String>> cached;
            try {
                cached = reverseDns.cached(missing);
            } catch (io.dmarclens.store.StoreException e) {
                // The PTR cache lives in the store: a store that cannot answer now is no fault of the report, which
                // must stay in the inbox and be tried again, not be quarantined as unreadable.
                throw new SinkFailure(new ImportException("the store failed: " + e.getMessage(), e));
            }
            for (String ip : missing) {
                Optional<String> name = cached.get(ip);
                if (name == null && unresolved.size() < MAX_UNRESOLVED) {
                    unresolved.add(ip);
                }
                SenderInfo sender = enricher.sender(ip, name == null ? null : name.orElse(null));
                senders.put(ip, sender);
                chunkSenders.put(ip, sender);
            }
        }
        for (AggregateRecord r : buffer) {
            SenderInfo who = chunkSenders.get(r.sourceIp());
            run(() -> batch.record(r, enricher.enrich(current.policy(), r, who)));
        }
        currentRecords += buffer.size();
        buffer.clear();
    }

    private interface SinkCall<T> {
        T call() throws ImportException;
    }

    private interface SinkRun {
        void run() throws ImportException;
    }

    private static boolean call(SinkCall<Boolean> call) {
        try {
            return call.call();
        } catch (ImportException e) {
            throw new SinkFailure(e);
        }
    }

    private static void run(SinkRun run) {
        try {
            run.run();
        } catch (ImportException e) {
            throw new SinkFailure(e);
        }
    }
}
