package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.Location;
import java.util.function.Function;
import javax.xml.stream.XMLStreamException;

/**
 * One pass over one XML document: walks the {@code <feedback>} tree by local names (any namespace, any
 * order), turns each {@code <record>} into an {@link AggregateRecord} and hands it to the handler as
 * soon as the header is known. Records met before report_metadata and policy_published are held back,
 * up to {@link #MAX_BUFFERED_RECORDS}.
 */
final class FeedbackReader {
    static final int MAX_BUFFERED_RECORDS = 10_000;

    private final ReportSource source;
    private final ReportHandler handler;
    private final ParserLimits limits;
    private final WarningLog warnings = new WarningLog();
    private final List<AggregateRecord> pending = new ArrayList<>();
    private final List<ParseWarning> leading;
    /** Warnings about the report as a whole, listed last and never capped. */
    private final List<ParseWarning> closing = new ArrayList<>();
    private SanitizingReader sanitizer;
    private XmlCursor cursor;
    private HeaderReader headers;
    private RecordReader recordReader;

    private String namespace = "";
    private String version;
    private ReportMetadata metadata;
    private PolicyPublished policy;
    private boolean begun;
    private boolean ended;
    private boolean inRecord;
    private int records;
    /** Set when the document could not be read to its end (see {@link #finishAtError}). */
    private Truncation truncation;

    /** {@code leading} warnings go first in the report's list (e.g. why it was read with repairs). */
    FeedbackReader(ReportSource source, ReportHandler handler, ParserLimits limits, List<ParseWarning> leading) {
        this.source = source;
        this.handler = handler;
        this.limits = limits;
        this.leading = List.copyOf(leading);
    }

    /** The repairs this sanitizer made are listed after the leading warnings when the report ends. */
    void repairsFrom(SanitizingReader sanitizer) {
        this.sanitizer = sanitizer;
    }

    /** True once beginAggregate was called for this document. */
    boolean begun() {
        return begun;
    }

    /** True between beginAggregate and endAggregate. */
    boolean isOpen() {
        return begun && !ended;
    }

    /**
     * Reads the document to the end of its root element.
     *
     * @throws XMLStreamException  when the document is not well-formed (or is wrapped in a stray schema
     *                             element), which the caller may answer with a recovery pass
     * @throws ReportParseException when it is not a DMARC report or a limit is hit
     */
    void read(Function<WarningLog, XmlCursor> cursors) throws XMLStreamException, ReportParseException {
        this.cursor = cursors.apply(warnings);
        this.headers = new HeaderReader(cursor, warnings);
        this.recordReader = new RecordReader(cursor, warnings);
        try {
            readDocument();
        } catch (com.ctc.wstx.exc.WstxLazyException e) {
            // With lazy parsing Woodstox reports errors in text from getText(), unchecked.
            throw e.getCause() instanceof XMLStreamException ? (XMLStreamException) e.getCause()
                    : new XMLStreamException(e.getMessage(), e);
        }
    }

    private void readDocument() throws XMLStreamException, ReportParseException {
        cursor.toRoot();
        String root = cursor.localName();
        if (root.equals("schema")) {
            // IKEA and sitnet.dk wrap the report in an unclosed <xs:schema>: only the recovery pass can read it.
            throw cursor.error("the report is wrapped in a stray <" + cursor.prefixedName() + "> element");
        }
        if (!root.equals("feedback")) {
            throw new ReportParseException(source, "XML is not a DMARC report: root element <" + cursor.prefixedName()
                    + ">, expected <feedback>");
        }
        namespace = cursor.namespaceUri();
        cursor.namespace(namespace);
        readFeedback();
    }

    private void readFeedback() throws XMLStreamException, ReportParseException {
        while (cursor.nextChild()) {
            String name = cursor.localName();
            switch (name) {
                case "record":
                    readRecord();
                    break;
                case "report_metadata":
                    if (metadata == null) {
                        metadata = headers.readMetadata();
                    } else {
                        warnings.add("report_metadata", "a second <report_metadata> was ignored; the first one is used");
                        cursor.skip();
                    }
                    break;
                case "policy_published":
                    if (policy == null) {
                        policy = headers.readPolicy();
                    } else {
                        warnings.add("policy_published", "a second <policy_published> was ignored; the first one is used");
                        cursor.skip();
                    }
                    break;
                case "version":
                    String v = cursor.leaf("version");
                    if (begun) {
                        warnings.add("version", "<version> after the first record was ignored: '" + v + "'");
                    } else if (!v.isEmpty()) {
                        version = v;
                    }
                    break;
                case "extension":
                    cursor.skip();
                    break;
                default:
                    cursor.unknown(-1, "");
            }
        }
        finish();
    }

    private void readRecord() throws XMLStreamException, ReportParseException {
        inRecord = true;
        AggregateRecord record = recordReader.read(records);
        records++;
        inRecord = false;
        deliver(record);
    }

    private void deliver(AggregateRecord record) throws ReportParseException {
        if (!begun && metadata != null && policy != null) {
            // Begun only at the first record after the header is complete, so that a late <version> still counts.
            begin();
        }
        if (begun) {
            handler.record(record);
            return;
        }
        if (pending.size() >= MAX_BUFFERED_RECORDS) {
            throw new LimitExceededException(source, "more than " + MAX_BUFFERED_RECORDS
                    + " records come before <report_metadata> and <policy_published>: too many to hold back");
        }
        pending.add(record);
    }

    private void begin() {
        begun = true;
        handler.beginAggregate(new AggregateHeader(source, version, namespace, metadata, policy));
        for (AggregateRecord r : pending) {
            handler.record(r);
        }
        pending.clear();
    }

    private void finish() throws ReportParseException {
        if (!begun) {
            if (metadata == null && policy == null && pending.isEmpty()) {
                throw new ReportParseException(source,
                        "XML is not a DMARC report: <feedback> holds no report_metadata, policy_published or record");
            }
            if (metadata == null) {
                warnings.add("report_metadata", "missing: reporter, report id and period are unknown");
                metadata = new ReportMetadata("", "", null, "", new DateRange(0, 0), List.of(), null);
            }
            if (policy == null) {
                warnings.add("policy_published", "missing: the published policy is unknown");
                policy = new PolicyPublished("", null, null, null, Alignment.RELAXED, Alignment.RELAXED, null, "0", "n", null);
            }
            begin();
        }
        ended = true;
        List<ParseWarning> all = new ArrayList<>(leading);
        if (sanitizer != null) {
            all.addAll(sanitizer.repairs());
        }
        all.addAll(warnings.snapshot());
        all.addAll(closing);
        if (records == 0) {
            all.add(new ParseWarning("", "the report holds no records"));
        } else if (recordReader.usableRecords() == 0) {
            all.add(new ParseWarning("", "none of the " + records + " records has both a valid source IP and a message count above 0"));
        }
        if (truncation != null) {
            handler.endPartialAggregate(all, truncation);
        } else {
            handler.endAggregate(all);
        }
    }

    /**
     * Ends the report at a well-formedness error of the recovery pass, when what was read before it is
     * worth keeping (a truncated document). The report is partial ({@link Truncation}) unless the error is
     * only the root end tag cut short ({@code atRootEnd}, a known reporter quirk with every record whole).
     * Returns false when nothing usable was read.
     */
    boolean finishAtError(XMLStreamException error, String description, boolean atRootEnd) throws ReportParseException {
        if (ended) {
            return true;
        }
        if (metadata == null && policy == null && records == 0) {
            return false;
        }
        closing.add(new ParseWarning(location(error.getLocation()), "the document cannot be read past this point ("
                + Bounded.text(description, Bounded.ITEM) + "); the " + records + " records before it are kept"));
        if (inRecord) {
            closing.add(new ParseWarning("record " + records, "incomplete at the end of the document; dropped"));
        }
        truncation = atRootEnd && !inRecord ? null : new Truncation("the XML cannot be read past " + description + " ("
                + records + (records == 1 ? " record" : " records") + " read"
                + (inRecord ? ", the one cut there dropped" : "") + ")");
        finish();
        return true;
    }

    private static String location(Location l) {
        return l == null ? "" : "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }
}
