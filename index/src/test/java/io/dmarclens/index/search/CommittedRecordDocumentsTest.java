package io.dmarclens.index.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.store.CommittedRecord;
import io.dmarclens.index.store.Database;
import io.dmarclens.index.store.StoreWrites;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search documents of records handed over by the import after their commit are the ones the index
 * would build by reading the rows back: same fields, same values, same tokens, for every sample report.
 */
class CommittedRecordDocumentsTest {
    @TempDir
    Path dir;

    private static final Classification[] CLASSES = {null, Classification.COMPLIANT, Classification.FORWARDED,
            Classification.MISCONFIGURED, Classification.THREAT};

    /** Varied enrichment: every classification, with and without a reason, senders known, partly known or not. */
    private static RecordEnrichment enrichment(AggregateRecord r, int n) {
        SenderInfo sender = switch (n % 3) {
            case 0 -> SenderInfo.UNKNOWN;
            case 1 -> new SenderInfo("mail-" + n + ".example.net", "example.net", "DE", 3320L + n % 5, "DTAG Telekom",
                    "Example Mail", "esp");
            default -> new SenderInfo(null, null, "US", null, null, null, null);
        };
        boolean dkim = r.dkim() == DmarcResult.PASS;
        boolean spf = r.spf() == DmarcResult.PASS;
        Classification c = CLASSES[n % CLASSES.length];
        return new RecordEnrichment(sender, dkim, spf, dkim || spf, n % 7 == 0, c, n % 2 == 0 ? null : "rule " + n);
    }

    @Test
    void documentsFromCommittedRecordsEqualThoseReadBack() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Corpus.sampleReports())) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".md") && !p.getFileName().toString().endsWith(".py"))
                    .sorted().toList();
        }
        ReportParser parser = new ReportParser();
        List<CommittedRecord> handedOver = new ArrayList<>();
        try (Database db = Database.open(dir)) {
            db.onCommit(handedOver::addAll);
            StoreWrites writes = new StoreWrites(db, java.time.Clock.fixed(java.time.Instant.parse("2024-05-01T00:00:00Z"), java.time.ZoneOffset.UTC));
            int n = 0;
            int aborted = 0;
            for (Path file : files) {
                List<Report> parsed;
                try {
                    parsed = parser.parseAll(file);
                } catch (ReportParseException e) {
                    continue;
                }
                CommitMode mode = n % 2 == 0 ? CommitMode.GROUPED : CommitMode.EACH_REPORT;
                try (ImportBatch batch = writes.beginImport(SourceFile.of(file.getFileName().toString(), "file", file), mode, () -> { })) {
                    for (Report r : parsed) {
                        if (r instanceof AggregateReport a && batch.beginAggregate(a.header())) {
                            for (AggregateRecord rec : a.records()) {
                                batch.record(rec, enrichment(rec, n++));
                            }
                            if (n % 5 == 1 && !a.records().isEmpty()) {
                                batch.abortAggregate("rolled back: none of its records may be handed over");
                                aborted++;
                            } else {
                                batch.endAggregate(a.warnings());
                            }
                        }
                    }
                    batch.commit();
                }
            }
            db.flush();
            assertTrue(aborted > 0, "some reports rolled back");
            assertTrue(handedOver.size() >= 50, "records handed over: " + handedOver.size());

            SearchDocuments documents = new SearchDocuments(new TextTokens(LuceneQueries.analyzer()));
            List<Long> storedIds = db.read(c -> {
                List<Long> ids = new ArrayList<>();
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM aggregate_record ORDER BY id")) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            });
            assertEquals(storedIds, handedOver.stream().map(CommittedRecord::id).toList(),
                    "every committed record is handed over once, in id order, and nothing else");
            int withSender = 0;
            for (CommittedRecord r : handedOver) {
                SenderInfo sender = db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(SearchDocuments.SENDER_SQL)) {
                        ps.setString(1, r.sourceIp());
                        try (ResultSet rs = ps.executeQuery()) {
                            return SearchDocuments.sender(rs);
                        }
                    }
                });
                withSender += sender.equals(SenderInfo.UNKNOWN) ? 0 : 1;
                Document fromMemory = documents.record(r, sender);
                Document readBack = db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(SearchDocuments.RECORD_SQL + " WHERE rec.id = ?")) {
                        ps.setLong(1, r.id());
                        try (ResultSet rs = ps.executeQuery()) {
                            assertTrue(rs.next());
                            return documents.record(rs);
                        }
                    }
                });
                assertEquals(describe(readBack), describe(fromMemory), "record " + r.id());
            }
            assertTrue(withSender > 0, "some documents carry sender fields");
        }
    }

    /** Every field of a document: name, type, value and, for text, the tokens it indexes. */
    private static List<String> describe(Document doc) throws Exception {
        Analyzer analyzer = LuceneQueries.analyzer();
        List<String> out = new ArrayList<>();
        for (IndexableField f : doc.getFields()) {
            StringBuilder b = new StringBuilder(f.name()).append(' ').append(f.fieldType())
                    .append(" s=").append(f.stringValue()).append(" n=").append(f.numericValue())
                    .append(" b=").append(f.binaryValue());
            if (f.fieldType().tokenized() && f.fieldType().indexOptions() != IndexOptions.NONE) {
                try (TokenStream ts = f.tokenStream(analyzer, null)) {
                    CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                    PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
                    ts.reset();
                    while (ts.incrementToken()) {
                        b.append(" [").append(term).append('+').append(inc.getPositionIncrement()).append(']');
                    }
                    ts.end();
                }
            }
            out.add(b.toString());
        }
        return out;
    }
}
