package io.dmarclens.store.contract;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Totals;
import io.dmarclens.testkit.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The reports of {@code sample-reports/} as our parser reads them, imported into a store one batch per file,
 * with what was stored (reports that were not duplicates) kept beside, so that tests can work out every
 * answer the store must give by summing what went in.
 */
final class SampleData {
    /** One aggregate report as stored: its parse and the enrichment each record was stored with. */
    record StoredAggregate(AggregateReport report, List<RecordEnrichment> enrichments, String file) {
    }

    final List<StoredAggregate> aggregates = new ArrayList<>();
    final List<FailureReport> failures = new ArrayList<>();
    final List<TlsReport> tls = new ArrayList<>();
    /** Bytes of each file imported, by file name. */
    final Map<String, byte[]> files = new LinkedHashMap<>();
    /** What the batches said, summed. */
    long reportsStored;
    long duplicates;

    private SampleData() {
    }

    /** Every file under {@code sample-reports/} our parser reads (unreadable ones are the pipeline's business). */
    static List<Path> sampleFiles() {
        try (Stream<Path> walk = Files.walk(Corpus.sampleReports())) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".py"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports every sample file into {@code store}, one batch each. */
    static SampleData importInto(Store store) {
        return importInto(store, sampleFiles());
    }

    static SampleData importInto(Store store, List<Path> paths) {
        ReportParser parser = new ReportParser();
        SampleData data = new SampleData();
        for (Path file : paths) {
            List<Report> parsed;
            byte[] bytes;
            try {
                parsed = parser.parseAll(file);
                bytes = Files.readAllBytes(file);
            } catch (ReportParseException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = file.getFileName().toString();
            data.files.put(name, bytes);
            try (ImportBatch batch = store.beginImport(SourceFile.of(name, "file", bytes))) {
                for (Report r : parsed) {
                    if (r instanceof AggregateReport a) {
                        if (batch.beginAggregate(a.header())) {
                            List<RecordEnrichment> enrichments = new ArrayList<>();
                            for (AggregateRecord rec : a.records()) {
                                RecordEnrichment e = enrichment(rec);
                                enrichments.add(e);
                                batch.record(rec, e);
                            }
                            if (batch.endAggregate(a.warnings(), a.truncation())) {
                                // A copy that read further replaces a stored partial one with the same identity.
                                data.aggregates.removeIf(stored -> sameIdentity(stored.report(), a));
                                data.aggregates.add(new StoredAggregate(a, enrichments, name));
                            }
                        }
                    } else if (r instanceof FailureReport f) {
                        if (batch.failure(f)) {
                            data.failures.add(f);
                        }
                    } else if (r instanceof TlsReport t) {
                        if (batch.tls(t)) {
                            data.tls.removeIf(stored -> stored.organizationName().equals(t.organizationName())
                                    && stored.reportId().equals(t.reportId())
                                    && stored.startDatetime().equals(t.startDatetime())
                                    && stored.endDatetime().equals(t.endDatetime()));
                            data.tls.add(t);
                        }
                    }
                }
                ImportResult result = batch.commit();
                data.reportsStored += result.reports();
                data.duplicates += result.duplicates();
            }
        }
        return data;
    }

    /** Reporter (organisation and address), report id, policy domain and date range: a report's identity. */
    private static boolean sameIdentity(AggregateReport a, AggregateReport b) {
        var m = a.header().metadata();
        var n = b.header().metadata();
        return java.util.Objects.equals(m.orgName(), n.orgName()) && java.util.Objects.equals(m.email(), n.email())
                && java.util.Objects.equals(m.reportId(), n.reportId())
                && java.util.Objects.equals(a.header().policy().domain(), b.header().policy().domain())
                && m.dateRange().equals(n.dateRange());
    }

    /**
     * What the pipeline would find, decided from the record alone: aligned as the reporter evaluated it;
     * passing mail is compliant, or forwarded when only DKIM passed; failing mail with a forwarding
     * override is forwarded, with a DKIM pass but no alignment misconfigured, else a threat.
     */
    static RecordEnrichment enrichment(AggregateRecord r) {
        boolean dkim = r.dkim() == DmarcResult.PASS;
        boolean spf = r.spf() == DmarcResult.PASS;
        Classification c;
        if (dkim && spf) {
            c = Classification.COMPLIANT;
        } else if (dkim) {
            c = Classification.FORWARDED;
        } else if (spf) {
            c = Classification.MISCONFIGURED;
        } else {
            c = Classification.THREAT;
        }
        return new RecordEnrichment(SenderInfo.UNKNOWN, dkim, spf, dkim || spf, false, c, "kit rule: " + c.token());
    }

    /** Records stored, with their enrichment, that {@code which} accepts. */
    List<Map.Entry<AggregateRecord, RecordEnrichment>> records(Predicate<StoredAggregate> which) {
        List<Map.Entry<AggregateRecord, RecordEnrichment>> out = new ArrayList<>();
        for (StoredAggregate a : aggregates) {
            if (which.test(a)) {
                for (int i = 0; i < a.report().records().size(); i++) {
                    out.add(Map.entry(a.report().records().get(i), a.enrichments().get(i)));
                }
            }
        }
        return out;
    }

    /** Every record stored. */
    List<Map.Entry<AggregateRecord, RecordEnrichment>> records() {
        return records(a -> true);
    }

    /** The totals of the given records, worked out the way {@link Totals} documents them. */
    static Totals totals(List<Map.Entry<AggregateRecord, RecordEnrichment>> records) {
        long[] v = new long[14];
        for (var e : records) {
            AggregateRecord r = e.getKey();
            RecordEnrichment en = e.getValue();
            long n = r.count();
            v[0] += n;
            v[en.dmarcPass() ? 1 : 2] += n;
            v[3] += en.dkimAligned() ? n : 0;
            v[4] += en.spfAligned() ? n : 0;
            v[5] += r.dkim() == DmarcResult.PASS ? n : 0;
            v[6] += r.spf() == DmarcResult.PASS ? n : 0;
            v[7] += r.disposition() == Disposition.NONE || r.disposition() == Disposition.PASS ? n : 0;
            v[8] += r.disposition() == Disposition.QUARANTINE ? n : 0;
            v[9] += r.disposition() == Disposition.REJECT ? n : 0;
            v[10] += en.classification() == Classification.COMPLIANT ? n : 0;
            v[11] += en.classification() == Classification.FORWARDED ? n : 0;
            v[12] += en.classification() == Classification.MISCONFIGURED ? n : 0;
            v[13] += en.classification() == Classification.THREAT ? n : 0;
        }
        return new Totals(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]);
    }
}
