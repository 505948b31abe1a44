package io.dmarclens.app.migrate;

import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.TlsReportSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Copies the reports of one store into another as they are stored: each stored report's raw source is read
 * again with the parser and written to the target with the verdict on its origin and the enrichment of its
 * records (sender, alignment, classification) that the source store holds, under the time the source was
 * received. Nothing is looked up again (no DNS, no DKIM), so the copy answers every question as the original.
 *
 * <p>Idempotent and resumable: the target keeps one copy of a report however often it is given (a report's
 * identity decides), so running again after an interruption copies what is missing and nothing twice.
 * Superseded partial copies are not copied (the dashboard does not show them).
 */
public final class Migration {
    /** Progress after each source: sources done, sources in all, what was stored so far. */
    public interface Progress {
        void update(int done, int total, Totals soFar);
    }

    /** What a run copied: sources read, reports newly stored, reports the target had already. */
    public record Totals(int sources, int reports, long records, int already) {
        Totals plus(int sourcesDone, ImportResult r) {
            return new Totals(sources + sourcesDone, reports + r.reports(), records + r.records(),
                    already + r.duplicates());
        }
    }

    private static final int FLUSH_EVERY = 100;

    private final Store from;
    private final Store to;
    private final SettableClock clock;
    private final ReportParser parser = new ReportParser();
    private final Map<Long, Integer> sourcesInSecond = new HashMap<>();

    /**
     * @param from  the store to copy (read only)
     * @param to    the store to copy into, opened on {@code clock}
     * @param clock the target's clock: set to each source's time of receipt while it is copied
     */
    public Migration(Store from, Store to, SettableClock clock) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Copies every stored report; returns what was copied. */
    public Totals run(Progress progress) {
        Map<Long, SourceReports> bySource = new TreeMap<>();
        forEachReport(s -> bySource.computeIfAbsent(s.sourceId(), k -> new SourceReports()).aggregate
                .put(aggregateKey(s.reportId(), s.begin().getEpochSecond(), s.end().getEpochSecond()), s));
        forEachFailure(f -> bySource.computeIfAbsent(f.sourceId(), k -> new SourceReports()).failures.add(f));
        forEachTls(t -> bySource.computeIfAbsent(t.sourceId(), k -> new SourceReports()).tls
                .put(tlsKey(t.reportId(), t.begin()), t));
        Totals totals = new Totals(0, 0, 0, 0);
        io.dmarclens.store.CommitMark start = to.mark();
        int done = 0;
        progress.update(0, bySource.size(), totals);
        for (Map.Entry<Long, SourceReports> e : bySource.entrySet()) {
            totals = totals.plus(1, copySource(e.getKey(), e.getValue()));
            if (++done % FLUSH_EVERY == 0) {
                // Grouped commits, made durable every so many sources: what a kill leaves is copied again.
                to.flush();
            }
            progress.update(done, bySource.size(), totals);
        }
        to.flush();
        to.commitDurably(start);
        return totals;
    }

    private ImportResult copySource(long sourceId, SourceReports reports) {
        RawSource raw = from.rawSources().rawSource(sourceId).orElse(null);
        if (raw == null || !raw.available()) {
            throw new StoreException("the raw source " + sourceId + " of stored reports is missing in the store"
                    + " copied from: its reports cannot be copied");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(raw.size(), Integer.MAX_VALUE - 8));
        from.rawSources().copyRawSource(sourceId, bytes);
        byte[] data = bytes.toByteArray();
        // The time of receipt to the second (what the stores keep), and within the second the source's place:
        // the target orders what was stored together by its clock's microseconds, the embedded store by row
        // ids that count up in the order of import, i.e. of the sources. The same source gets the same time
        // in every run, so a copy resumed after a kill keeps the order too.
        long second = raw.receivedAt().getEpochSecond();
        int place = Math.min(sourcesInSecond.merge(second, 1, Integer::sum) - 1, 999);
        clock.set(Instant.ofEpochSecond(second, place * 1_000_000L));
        SourceFile file = new SourceFile(raw.name(), raw.origin(), data, null, raw.sha256());
        try (ImportBatch batch = to.beginImport(file, CommitMode.GROUPED)) {
            try {
                parser.parse(ReportSource.of(raw.name()), new ByteArrayInputStream(data), new Copier(batch, reports));
            } catch (ReportParseException e) {
                // The stored reports were read before the input broke off: they were copied above.
            }
            return batch.commit();
        }
    }

    private void forEachReport(Consumer<ReportSummary> sink) {
        for (int offset = 0; ; offset += Page.MAX_LIMIT) {
            List<ReportSummary> page = from.reports().reports(ReportFilter.all(), ReportSort.OLDEST,
                    new Page(offset, Page.MAX_LIMIT));
            page.forEach(sink);
            if (page.size() < Page.MAX_LIMIT) {
                return;
            }
        }
    }

    private void forEachFailure(Consumer<FailureRow> sink) {
        from.failureReports().exportFailureReports(ReportFilter.all(), sink);
    }

    private void forEachTls(Consumer<TlsReportSummary> sink) {
        for (int offset = 0; ; offset += Page.MAX_LIMIT) {
            List<TlsReportSummary> page = from.tlsReports().tlsReports(ReportFilter.all(), new Page(offset, Page.MAX_LIMIT));
            page.forEach(sink);
            if (page.size() < Page.MAX_LIMIT) {
                return;
            }
        }
    }

    private static String aggregateKey(String reportId, long begin, long end) {
        return (reportId == null ? "" : reportId) + "\n" + begin + "\n" + end;
    }

    private static String tlsKey(String reportId, Instant begin) {
        return (reportId == null ? "" : reportId) + "\n" + (begin == null ? "" : begin.getEpochSecond());
    }

    /** The reports the source store holds from one raw source. */
    private static final class SourceReports {
        final Map<String, ReportSummary> aggregate = new HashMap<>();
        final List<FailureRow> failures = new ArrayList<>();
        final Map<String, TlsReportSummary> tls = new HashMap<>();
    }

    /** Feeds the reports read from a source that the source store holds from it, as it holds them. */
    private final class Copier implements ReportHandler {
        private final ImportBatch batch;
        private final SourceReports reports;
        private List<RecordRow> records;
        private boolean[] used;
        /** The batch was given the open report: it stores it ({@link #copying}) or skips it as already there. */
        private boolean begun;
        private boolean copying;
        private int failureIndex;

        Copier(ImportBatch batch, SourceReports reports) {
            this.batch = batch;
            this.reports = reports;
        }

        @Override
        public void beginAggregate(AggregateHeader header) {
            ReportSummary stored = reports.aggregate.get(aggregateKey(header.metadata().reportId(),
                    header.metadata().dateRange().begin(), header.metadata().dateRange().end()));
            begun = stored != null;
            copying = begun && batch.beginAggregate(header, stored.authenticity());
            if (copying) {
                records = new ArrayList<>();
                for (int offset = 0; ; offset += Page.MAX_LIMIT) {
                    List<RecordRow> page = from.reports().reportRecords(stored.id(), new Page(offset, Page.MAX_LIMIT));
                    records.addAll(page);
                    if (page.size() < Page.MAX_LIMIT) {
                        break;
                    }
                }
                used = new boolean[records.size()];
            }
        }

        @Override
        public void record(AggregateRecord record) {
            if (!copying) {
                return;
            }
            RecordRow stored = match(record);
            if (stored == null) {
                // Not stored from this source (the store left it out): neither is it copied.
                return;
            }
            batch.record(record, new RecordEnrichment(stored.sender(), stored.dkimAligned(), stored.spfAligned(),
                    stored.dmarcPass(), stored.verdictDisagrees(), classification(stored.classification()),
                    stored.classificationReason()));
        }

        /** The stored record at the same place, else the first unused one with the same source and count. */
        private RecordRow match(AggregateRecord record) {
            String ip = record.sourceIp() == null ? "" : record.sourceIp();
            int i = record.index();
            if (i >= 0 && i < records.size() && !used[i] && same(records.get(i), ip, record.count())) {
                used[i] = true;
                return records.get(i);
            }
            for (int j = 0; j < records.size(); j++) {
                if (!used[j] && same(records.get(j), ip, record.count())) {
                    used[j] = true;
                    return records.get(j);
                }
            }
            return null;
        }

        private boolean same(RecordRow r, String ip, long count) {
            return ip.equals(r.sourceIp() == null ? "" : r.sourceIp()) && r.count() == count;
        }

        // The end or abort of a report goes to the batch whenever the batch was given its begin, also when it
        // skipped it as already there: a report the parser withdraws to read it again with repairs (begin,
        // abort, begin, end) is then counted once as already there, not once per reading.

        @Override
        public void endAggregate(List<ParseWarning> warnings) {
            if (begun) {
                batch.endAggregate(warnings, null);
            }
            begun = false;
            copying = false;
        }

        @Override
        public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
            if (begun) {
                batch.endAggregate(warnings, truncation);
            }
            begun = false;
            copying = false;
        }

        @Override
        public void abortAggregate(String reason) {
            if (begun) {
                batch.abortAggregate(reason);
            }
            begun = false;
            copying = false;
        }

        @Override
        public void failure(FailureReport report) {
            // Failure reports have no identity of their own: the n-th of the source is the n-th stored from it.
            if (failureIndex < reports.failures.size()) {
                batch.failure(report, reports.failures.get(failureIndex).authenticity());
            }
            failureIndex++;
        }

        @Override
        public void tls(TlsReport report) {
            TlsReportSummary stored = reports.tls.get(tlsKey(report.reportId(), report.startDatetime()));
            if (stored != null) {
                batch.tls(report, stored.authenticity());
            }
        }
    }

    private static Classification classification(String token) {
        return token == null ? null : Classification.valueOf(token.toUpperCase(Locale.ROOT));
    }

    /** The verdict kept for reports a copy cannot name (not used: every copied report has its own). */
    static Authenticity imported() {
        return Authenticity.imported();
    }
}
