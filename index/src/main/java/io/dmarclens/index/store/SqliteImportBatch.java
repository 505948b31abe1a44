package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.ImportResult;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stores the reports parsed from one {@link SourceFile}. Obtained from
 * {@link io.dmarclens.index.EmbeddedStore#beginImport(SourceFile)}; not thread-safe (one parser feeds it).
 *
 * <p>Aggregate reports stream in: {@link #beginAggregate}, {@link #record} for each record,
 * {@link #endAggregate} (or {@link #abortAggregate}). Each aggregate report is written atomically,
 * holding the store's write lock from begin to end, with its rollups: with {@link CommitMode#EACH_REPORT}
 * it is one transaction, committed at its end; with {@link CommitMode#GROUPED} it is a savepoint inside
 * a transaction shared with the reports before and after it (see {@link io.dmarclens.index.EmbeddedStore#flush()}),
 * and its rollups join the group's, which are written once, just before the group's commit.
 * The search index catches up after each commit. Failure and TLS reports are stored whole.
 * {@link #commit()} ends the batch and says what was stored. Call one report's begin, records and end
 * from the same thread (the write lock is held in between).
 *
 * <p>A report is a duplicate, and is skipped, when one with the same identity is stored (aggregate:
 * reporter org and email, report id, policy domain and date range; TLS: organisation, report id and
 * date range) or when the same report of the same source content (same SHA-256, same position in it)
 * was stored before. Importing the same input again therefore changes nothing.
 *
 * <p>A report whose input stopped before its end ({@link #endAggregate(List, Truncation)}) is stored as
 * <em>partial</em>, with the reason. A later copy with the same identity replaces a partial one when it
 * is more complete: read to its end, or partial with more records. The replaced copy's records, rollups,
 * warnings and search documents go as if it had never been stored; its raw source stays, listed in
 * {@code superseded_copy}. A copy no more complete than the stored one is a duplicate.
 */
public final class SqliteImportBatch implements ImportBatch {
    private static final int RECORD_BATCH = 1_000;
    private static final String INSERT_RECORD = "INSERT INTO aggregate_record (id, report_ref, idx, source_ip, count,"
            + " disposition, dkim, spf, header_from, envelope_from, envelope_to, reasons, dkim_results, spf_results,"
            + " dkim_aligned, spf_aligned, dmarc_pass, verdict_disagrees, classification, classification_reason)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Database db;
    private final Clock clock;
    private final CommitMode mode;
    private final Runnable afterCommit;
    private final long sourceId;
    private final String sourceSha;
    private int position;

    // The aggregate report being received, if any.
    private State state = State.IDLE;
    private AggregateHeader header;
    private long reportRef;
    private long nextRecordId;
    private PreparedStatement insertRecord;
    private Savepoint savepoint;
    private int pendingRecords;
    private long reportRecords;
    private long reportMessages;
    /** The open report came by mail and its origin was not verified: its rollup rows carry the flag. */
    private boolean reportUnverified;
    /** The open report's origin was verified: it replaces an unverified stored copy of the same identity. */
    private boolean reportVerified;
    private final Rollups rollups = new Rollups();
    // The report's records for the search index (see Database.deferStaged), while staging is allowed.
    private List<CommittedRecord> staged = new ArrayList<>();
    private boolean staging;
    // Columns of the open report that each record repeats (rollup keys, search documents): computed once.
    private CommittedRecord.Report storedReport;
    private final Map<String, SenderInfo> senders = new HashMap<>();
    // The stored partial copy of the open report, deleted inside the report's transaction and restored
    // by its rollback when the open copy turns out to be no more complete; null when there is none.
    private StoredCopy replacing;
    private long importedAt;

    private int aggregateReports;
    private long records;
    private long messages;
    private int failureReports;
    private int tlsReports;
    private int duplicates;
    private int aborted;
    private int partialReports;
    private int superseded;
    private boolean closed;

    private enum State { IDLE, STORING, SKIPPING }

    SqliteImportBatch(Database db, Clock clock, CommitMode mode, Runnable afterCommit, long sourceId, String sourceSha) {
        this.db = db;
        this.clock = clock;
        this.mode = mode;
        this.afterCommit = afterCommit;
        this.sourceId = sourceId;
        this.sourceSha = sourceSha;
    }

    /**
     * Starts an aggregate report, stored with {@code authenticity}.
     *
     * @return true when the report is new and its records will be stored; false when it is a duplicate,
     *         in which case the following {@link #record} calls are ignored (enrichment can be skipped)
     *         and {@link #endAggregate} is optional
     */
    @Override
    public boolean beginAggregate(AggregateHeader header, Authenticity authenticity) {
        ensureIdle();
        reportUnverified = authenticity.unverified();
        reportVerified = authenticity.verdict() == Authenticity.Verdict.VERIFIED;
        this.header = Objects.requireNonNull(header, "header");
        String contentKey = sourceSha + "#" + position++;
        ReportMetadata m = header.metadata();
        PolicyPublished p = header.policy();
        db.writeLock().lock();
        try {
            Connection c = db.writer();
            savepoint = null;
            replacing = null;
            if (mode != CommitMode.GROUPED && db.groupOpen()) {
                db.commitNow(); // another import's grouped reports: not to be rolled back with this one
            }
            if (storedContent(c, contentKey)) {
                return skip();
            }
            StoredCopy stored = StoredCopy.find(c, "aggregate", reporter(m), nz(m.email()), nz(m.reportId()),
                    domain(p.domain()), m.dateRange().begin(), m.dateRange().end());
            if (stored != null && stored.partial() == null && !stored.replacedByVerified(reportVerified)) {
                return skip();
            }
            if (stored != null && mode == CommitMode.GROUPED) {
                db.writePendingRollups(); // so the stored copy's counts can be taken out exactly
            }
            if (mode == CommitMode.GROUPED) {
                // Other reports of the group stay uncommitted beside this one: a failure rolls back this one only.
                savepoint = c.setSavepoint();
            }
            if (stored != null) {
                // Out of the way of the new copy (same identity) until the end says which copy stays; the new
                // one is inserted while the old still exists, so its ids come after every id seen so far.
                stored.stepAside(c);
                replacing = stored;
            }
            importedAt = clock.instant().getEpochSecond();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO aggregate_report (source_id, source_part,"
                    + " content_key, reporter, reporter_email, extra_contact, report_id, policy_domain, begin_ts, end_ts,"
                    + " version, namespace, generator, errors, p, sp, np, adkim, aspf, pct, fo, testing, discovery,"
                    + " imported_at, authenticity, authenticity_reason)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    PreparedStatement.RETURN_GENERATED_KEYS)) {
                int i = 1;
                ps.setLong(i++, sourceId);
                ps.setString(i++, header.source() == null ? "" : header.source().part());
                ps.setString(i++, contentKey);
                ps.setString(i++, reporter(m));
                ps.setString(i++, nz(m.email()));
                ps.setString(i++, m.extraContactInfo());
                ps.setString(i++, nz(m.reportId()));
                ps.setString(i++, domain(p.domain()));
                ps.setLong(i++, m.dateRange().begin());
                ps.setLong(i++, m.dateRange().end());
                ps.setString(i++, header.version());
                ps.setString(i++, header.namespace());
                ps.setString(i++, m.generator());
                ps.setString(i++, JsonColumns.strings(m.errors()));
                ps.setString(i++, p.p() == null ? null : p.p().token());
                ps.setString(i++, p.sp() == null ? null : p.sp().token());
                ps.setString(i++, p.np() == null ? null : p.np().token());
                ps.setString(i++, p.adkim() == null ? null : p.adkim().token());
                ps.setString(i++, p.aspf() == null ? null : p.aspf().token());
                if (p.pct() == null) {
                    ps.setNull(i++, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(i++, p.pct());
                }
                ps.setString(i++, p.fo());
                ps.setString(i++, p.testing());
                ps.setString(i++, p.discoveryMethod());
                ps.setLong(i++, importedAt);
                ps.setString(i++, authenticity.verdict().code());
                ps.setString(i, authenticity.reason());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    reportRef = keys.getLong(1);
                }
            }
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM aggregate_record")) {
                rs.next();
                nextRecordId = rs.getLong(1) + 1;
            }
            insertRecord = c.prepareStatement(INSERT_RECORD);
            pendingRecords = 0;
            reportRecords = 0;
            reportMessages = 0;
            rollups.clear();
            senders.clear();
            staged.clear();
            staging = db.mayStage(0);
            if (!staging) {
                db.stopStaging();
            }
            storedReport = new CommittedRecord.Report(reportRef, reporter(m), nz(m.email()), domain(p.domain()),
                    m.dateRange().begin(), authenticity.verdict().code());
            state = State.STORING;
            return true;
        } catch (SQLException | RuntimeException e) {
            failOpenReport();
            throw wrap("cannot store the aggregate report " + m.reportId() + " of " + m.orgName(), e);
        }
    }

    /** Adds one record of the open aggregate report with what enrichment found out about it. */
    public void record(AggregateRecord record, RecordEnrichment enrichment) {
        if (state == State.SKIPPING) {
            return;
        }
        if (state != State.STORING) {
            throw new IllegalStateException("record outside beginAggregate/endAggregate");
        }
        Objects.requireNonNull(enrichment, "enrichment");
        try {
            PreparedStatement ps = insertRecord;
            String ip = record.sourceIp() == null ? "" : record.sourceIp();
            String headerFrom = domain(record.headerFrom());
            String disposition = record.disposition() == null ? "" : record.disposition().token();
            String dkim = record.dkim() == null ? "" : record.dkim().token();
            String spf = record.spf() == null ? "" : record.spf().token();
            String classification = enrichment.classification() == null ? "" : enrichment.classification().token();
            String envelopeFrom = domainOrNull(record.envelopeFrom());
            String envelopeTo = domainOrNull(record.envelopeTo());
            long id = nextRecordId++;
            ps.setLong(1, id);
            ps.setLong(2, reportRef);
            ps.setInt(3, record.index());
            ps.setString(4, ip);
            ps.setLong(5, record.count());
            ps.setString(6, disposition);
            ps.setString(7, dkim);
            ps.setString(8, spf);
            ps.setString(9, headerFrom);
            ps.setString(10, envelopeFrom);
            ps.setString(11, envelopeTo);
            ps.setString(12, JsonColumns.reasons(record.reasons()));
            ps.setString(13, JsonColumns.dkim(record.dkimResults()));
            ps.setString(14, JsonColumns.spf(record.spfResults()));
            ps.setInt(15, enrichment.dkimAligned() ? 1 : 0);
            ps.setInt(16, enrichment.spfAligned() ? 1 : 0);
            ps.setInt(17, enrichment.dmarcPass() ? 1 : 0);
            ps.setInt(18, enrichment.verdictDisagrees() ? 1 : 0);
            ps.setString(19, classification);
            ps.setString(20, enrichment.classificationReason());
            ps.addBatch();
            if (++pendingRecords >= RECORD_BATCH) {
                ps.executeBatch();
                pendingRecords = 0;
            }
            reportRecords++;
            reportMessages += record.count();
            if (staging) {
                if (db.mayStage(staged.size() + 1)) {
                    staged.add(new CommittedRecord(id, storedReport, record, ip, disposition, dkim, spf, headerFrom,
                            envelopeFrom, envelopeTo, enrichment.dmarcPass(), classification,
                            enrichment.classificationReason()));
                } else {
                    staging = false;
                    staged.clear();
                    db.stopStaging(); // this report and the rest of its group are read back by the index
                }
            }
            rollups.add(new Rollups.Key(storedReport.policyDomain(), headerFrom, ip, storedReport.reporter(),
                    disposition, dkim, spf, enrichment.dkimAligned(), enrichment.spfAligned(), enrichment.dmarcPass(),
                    classification, reasonTypes(record), reportUnverified), record.count());
            if (enrichment.sender() != null && !SenderInfo.UNKNOWN.equals(enrichment.sender())) {
                senders.put(ip, enrichment.sender());
            }
        } catch (SQLException | RuntimeException e) {
            failOpenReport();
            throw wrap("cannot store record " + record.index() + " of report " + header.metadata().reportId(), e);
        }
    }

    /**
     * Completes the open aggregate report: writes warnings and rollups, and commits.
     *
     * @param truncation why the report could not be read to its end (it is stored as partial), or null
     * @return true when stored; false when it is a duplicate: one with the same identity is stored and this
     *         copy is not more complete (nothing of it is kept)
     */
    @Override
    public boolean endAggregate(List<ParseWarning> warnings, Truncation truncation) {
        if (state == State.SKIPPING) {
            state = State.IDLE;
            return false;
        }
        if (state != State.STORING) {
            throw new IllegalStateException("endAggregate without beginAggregate");
        }
        try {
            Connection c = db.writer();
            if (pendingRecords > 0) {
                insertRecord.executeBatch();
            }
            insertRecord.close();
            if (replacing != null && !replacing.replacedBy(truncation == null, reportRecords)
                    && !replacing.replacedByVerified(reportVerified)) {
                // Read no further than the stored partial copy: that one stays, this one is a duplicate.
                failOpenReport();
                duplicates++;
                replacing = null;
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE aggregate_report SET record_count = ?, message_count = ?, partial = ? WHERE id = ?")) {
                ps.setLong(1, reportRecords);
                ps.setLong(2, reportMessages);
                ps.setString(3, truncation == null ? null : truncation.reason());
                ps.setLong(4, reportRef);
                ps.executeUpdate();
            }
            if (replacing != null) {
                removeAggregate(c, replacing.id());
                replacing.keep(c, reportRef, importedAt);
                db.deferDeleted("a" + replacing.id());
            }
            Warnings.insert(c, "aggregate", reportRef, warnings);
            DaySplit split = DaySplit.of(header.metadata().dateRange().begin(), header.metadata().dateRange().end());
            Senders.upsert(c, senders, clock.instant());
            boolean grouped = savepoint != null;
            if (grouped) {
                c.releaseSavepoint(savepoint);
                savepoint = null;
                db.deferRollups(rollups, split); // written once for the whole group, just before its commit
            } else {
                rollups.write(c, split, 1);
            }
            db.deferCommitted(storedReport.policyDomain(), reportRecords); // for the store's commit listeners
            if (staging) {
                db.deferStaged(staged); // handed to the search index when the transaction commits
            }
            if (grouped) {
                db.deferCommit(reportRecords);
            } else {
                db.commitNow();
            }
            aggregateReports++;
            records += reportRecords;
            messages += reportMessages;
            if (truncation != null) {
                partialReports++;
            }
            if (replacing != null) {
                superseded++;
            }
        } catch (SQLException | RuntimeException e) {
            failOpenReport();
            throw wrap("cannot store the aggregate report " + header.metadata().reportId(), e);
        }
        replacing = null;
        state = State.IDLE;
        db.writeLock().unlock();
        return true;
    }

    private boolean skip() {
        duplicates++;
        state = State.SKIPPING;
        db.writeLock().unlock();
        return false;
    }

    private boolean storedContent(Connection c, String contentKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM aggregate_report WHERE content_key = ?")) {
            ps.setString(1, contentKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Deletes a stored aggregate report exactly: its counts leave every rollup table (with the day split
     * they were added with), then its warnings, records and row go. Its search documents go once the
     * transaction commits (see {@link Database#deferDeleted}).
     */
    static void removeAggregate(Connection c, long id) throws SQLException {
        StoredRollups.subtractReport(c, id);
        SourceRollups.deleteEmptyRows(c);
        try (PreparedStatement warn = c.prepareStatement(
                "DELETE FROM report_warning WHERE kind = 'aggregate' AND report_ref = ?");
             PreparedStatement del = c.prepareStatement("DELETE FROM aggregate_report WHERE id = ?")) {
            warn.setLong(1, id);
            warn.executeUpdate();
            del.setLong(1, id);
            del.executeUpdate();
        }
    }

    /** Discards the open aggregate report: nothing of it is stored. */
    public void abortAggregate(String reason) {
        if (state == State.SKIPPING) {
            state = State.IDLE;
            duplicates--; // withdrawn by the parser (e.g. to read it again with repairs): not counted twice
            return;
        }
        if (state == State.STORING) {
            failOpenReport();
            aborted++;
        }
    }

    /**
     * Stores a failure report.
     *
     * @return true when stored, false when it was a duplicate
     */
    @Override
    public boolean failure(FailureReport report, Authenticity authenticity) {
        ensureIdle();
        String contentKey = sourceSha + "#" + position++;
        boolean stored = db.write(c -> {
            boolean inserted = FailureWriter.insert(c, sourceId, contentKey, report, clock.instant(),
                    authenticity);
            if (inserted) {
                db.deferCommittedFailure(domains(report.reportedDomain())); // for the store's commit listeners
            }
            return inserted;
        });
        if (stored && report.partial()) {
            partialReports++;
        }
        countOther(stored, true);
        return stored;
    }

    /**
     * Stores an SMTP TLS report.
     *
     * @return true when stored, false when it was a duplicate
     */
    @Override
    public boolean tls(TlsReport report, Authenticity authenticity) {
        ensureIdle();
        String contentKey = sourceSha + "#" + position++;
        TlsWriter.Written written = db.write(c -> {
            TlsWriter.Written w = TlsWriter.insert(c, sourceId, contentKey, report, clock.instant(),
                    authenticity);
            if (w.stored()) {
                db.deferCommittedTls(domains(report.policies().stream().map(TlsPolicyResult::policyDomain).toList()));
            }
            return w;
        });
        if (written.replacedId() != 0) {
            superseded++;
            db.deleted(List.of("t" + written.replacedId()));
        }
        if (written.stored() && report.partial()) {
            partialReports++;
        }
        countOther(written.stored(), false);
        return written.stored();
    }

    private void countOther(boolean stored, boolean failure) {
        if (!stored) {
            duplicates++;
            return;
        }
        if (failure) {
            failureReports++;
        } else {
            tlsReports++;
        }
        afterCommit.run();
    }

    /** Ends the batch. An aggregate report still open is discarded. */
    public ImportResult commit() {
        close();
        return result();
    }

    /** What was stored so far. */
    public ImportResult result() {
        return new ImportResult(aggregateReports, records, messages, failureReports, tlsReports, duplicates, aborted,
                partialReports, superseded);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (state == State.STORING) {
            abortAggregate("import batch closed before the report ended");
        }
        state = State.IDLE;
        closed = true;
    }

    private void failOpenReport() {
        replacing = null;
        if (state == State.STORING || db.writeLock().isHeldByCurrentThread()) {
            try {
                if (insertRecord != null) {
                    insertRecord.close();
                }
            } catch (SQLException ignored) {
                // rolled back below
            }
            if (savepoint != null) {
                try {
                    db.writer().rollback(savepoint);
                    db.writer().releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    db.rollbackQuietly(); // the savepoint is gone with the connection's transaction
                }
                savepoint = null;
            } else {
                db.rollbackQuietly();
            }
            state = State.IDLE;
            while (db.writeLock().isHeldByCurrentThread()) {
                db.writeLock().unlock();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the import batch is closed");
        }
    }

    private void ensureIdle() {
        ensureOpen();
        if (state == State.SKIPPING) {
            state = State.IDLE; // a skipped duplicate needs no endAggregate
        }
        if (state != State.IDLE) {
            throw new IllegalStateException("an aggregate report is open: call endAggregate or abortAggregate first");
        }
    }

    private static StoreException wrap(String what, Exception e) {
        if (e instanceof StoreException s) {
            return s;
        }
        return new StoreException(what + ": " + e.getMessage(), e);
    }

    static String reporter(ReportMetadata m) {
        return nz(m.orgName()).strip();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Domain names compare case-insensitively; we store them lower-cased without a trailing dot. */
    static String domain(String d) {
        if (d == null) {
            return "";
        }
        String s = d.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Domains as stored (lower case, no trailing dot), without the missing and blank ones. */
    static Set<String> domains(List<String> names) {
        Set<String> out = new TreeSet<>();
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                out.add(domain(name));
            }
        }
        return out;
    }

    static String domainOrNull(String d) {
        return d == null ? null : domain(d);
    }

    static String reasonTypes(AggregateRecord r) {
        if (r.reasons().isEmpty()) {
            return "";
        }
        TreeSet<String> types = new TreeSet<>();
        for (var reason : r.reasons()) {
            types.add(reason.type() != null ? reason.type().token() : nz(reason.rawType()).toLowerCase(Locale.ROOT));
        }
        return String.join(",", types);
    }
}
