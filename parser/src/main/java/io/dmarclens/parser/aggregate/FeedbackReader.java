package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * One pass over one XML document: walks the {@code <feedback>} tree by local names (any namespace, any
 * order), turns each {@code <record>} into an {@link AggregateRecord} and hands it to the handler as
 * soon as the header is known. Records met before report_metadata and policy_published are held back,
 * up to {@link #MAX_BUFFERED_RECORDS}.
 */
final class FeedbackReader {
    static final int MAX_BUFFERED_RECORDS = 10_000;
    private static final int MAX_METADATA_ERRORS = 100;

    private final ReportSource source;
    private final ReportHandler handler;
    private final ParserLimits limits;
    private final WarningLog warnings = new WarningLog();
    private final RecordParts parts = new RecordParts();
    private final List<AggregateRecord> pending = new ArrayList<>();
    private final StringBuilder text = new StringBuilder(64);
    private final List<ParseWarning> leading;
    /** Warnings about the report as a whole, listed last and never capped. */
    private final List<ParseWarning> closing = new ArrayList<>();
    private SanitizingReader sanitizer;
    private XMLStreamReader2 xml;

    private String namespace = "";
    private String version;
    private ReportMetadata metadata;
    private PolicyPublished policy;
    private boolean begun;
    private boolean ended;
    private boolean inRecord;
    private int records;
    private int usableRecords;

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
    void read(XMLStreamReader2 reader) throws XMLStreamException, ReportParseException {
        this.xml = reader;
        try {
            readDocument();
        } catch (com.ctc.wstx.exc.WstxLazyException e) {
            // With lazy parsing Woodstox reports errors in text from getText(), unchecked.
            throw e.getCause() instanceof XMLStreamException ? (XMLStreamException) e.getCause()
                    : new XMLStreamException(e.getMessage(), e);
        }
    }

    private void readDocument() throws XMLStreamException, ReportParseException {
        int event = xml.getEventType();
        while (event != XMLStreamConstants.START_ELEMENT) {
            if (event == XMLStreamConstants.DTD) {
                throw new ReportParseException(source, "XML declares a DTD (<!DOCTYPE ...>) at line "
                        + xml.getLocation().getLineNumber() + ": refused, DMARC reports have none and DTDs "
                        + "can carry entity attacks (external entities, entity expansion)");
            }
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new ReportParseException(source, "XML is not a DMARC report: it holds no element");
            }
            event = xml.next();
        }
        String root = xml.getLocalName();
        if (root.equals("schema")) {
            // IKEA and sitnet.dk wrap the report in an unclosed <xs:schema>: only the recovery pass can read it.
            throw new XMLStreamException("the report is wrapped in a stray <" + xml.getPrefixedName() + "> element",
                    xml.getLocation());
        }
        if (!root.equals("feedback")) {
            throw new ReportParseException(source, "XML is not a DMARC report: root element <" + xml.getPrefixedName()
                    + ">, expected <feedback>");
        }
        String ns = xml.getNamespaceURI();
        namespace = ns == null ? "" : ns;
        readFeedback();
    }

    private void readFeedback() throws XMLStreamException, ReportParseException {
        while (nextChild()) {
            String name = xml.getLocalName();
            switch (name) {
                case "record":
                    readRecord();
                    break;
                case "report_metadata":
                    if (metadata == null) {
                        metadata = readMetadata();
                    } else {
                        warnings.add("report_metadata", "a second <report_metadata> was ignored; the first one is used");
                        skip();
                    }
                    break;
                case "policy_published":
                    if (policy == null) {
                        policy = readPolicy();
                    } else {
                        warnings.add("policy_published", "a second <policy_published> was ignored; the first one is used");
                        skip();
                    }
                    break;
                case "version":
                    String v = leaf("version");
                    if (begun) {
                        warnings.add("version", "<version> after the first record was ignored: '" + v + "'");
                    } else if (!v.isEmpty()) {
                        version = v;
                    }
                    break;
                case "extension":
                    skip();
                    break;
                default:
                    unknown(null, "");
            }
        }
        finish();
    }

    // ---- report_metadata ------------------------------------------------------------------------

    private ReportMetadata readMetadata() throws XMLStreamException, ReportParseException {
        String org = "";
        String email = "";
        String extra = null;
        String id = "";
        String generator = null;
        DateRange range = null;
        List<String> errors = new ArrayList<>();
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "org_name": org = leaf("report_metadata/org_name"); break;
                case "email": email = leaf("report_metadata/email"); break;
                case "extra_contact_info": extra = emptyToNull(leaf("report_metadata/extra_contact_info")); break;
                case "report_id": id = leaf("report_metadata/report_id"); break;
                case "date_range": range = readDateRange(); break;
                case "generator": generator = emptyToNull(leaf("report_metadata/generator")); break;
                case "error":
                    String e = leaf("report_metadata/error");
                    if (errors.size() < MAX_METADATA_ERRORS && !e.isEmpty()) {
                        errors.add(e);
                    } else if (!e.isEmpty()) {
                        warnings.add("report_metadata/error", "more than " + MAX_METADATA_ERRORS + " <error> elements; this one was not kept: " + e);
                    }
                    break;
                default: unknown(null, "report_metadata/");
            }
        }
        if (email.isEmpty()) {
            warnings.add("report_metadata/email", "missing or empty");
        }
        if (org.isEmpty()) {
            String derived = Words.emailDomain(email);
            warnings.add("report_metadata/org_name", derived.isEmpty()
                    ? "missing or empty, and no email domain to derive it from"
                    : "missing or empty; derived '" + derived + "' from the email address");
            org = derived;
        }
        String reportId = Words.reportId(id);
        if (reportId.isEmpty()) {
            warnings.add("report_metadata/report_id", "missing or empty");
        }
        if (range == null) {
            warnings.add("report_metadata/date_range", "missing; read as 0..0");
            range = new DateRange(0, 0);
        }
        return new ReportMetadata(org, email, extra, reportId, range, errors, generator);
    }

    private DateRange readDateRange() throws XMLStreamException, ReportParseException {
        Long begin = null;
        Long end = null;
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "begin": begin = timestamp("report_metadata/date_range/begin"); break;
                case "end": end = timestamp("report_metadata/date_range/end"); break;
                default: unknown(null, "report_metadata/date_range/");
            }
        }
        if (begin == null) {
            warnings.add("report_metadata/date_range/begin", "missing; read as 0");
            begin = 0L;
        }
        if (end == null) {
            warnings.add("report_metadata/date_range/end", "missing; read as the begin time");
            end = begin;
        }
        return new DateRange(begin, end);
    }

    private Long timestamp(String path) throws XMLStreamException, ReportParseException {
        String t = leaf(path);
        Long v = Words.parseLong(t);
        if (v == null) {
            v = Words.epochSeconds(t);
            if (v != null) {
                warnings.add(path, "decimal timestamp '" + t + "' read as " + v);
            } else {
                warnings.add(path, "'" + t + "' is not a timestamp (epoch seconds)");
            }
        }
        return v;
    }

    // ---- policy_published -----------------------------------------------------------------------

    private PolicyPublished readPolicy() throws XMLStreamException, ReportParseException {
        String domain = "";
        String p = "";
        String sp = "";
        String np = "";
        String adkim = "";
        String aspf = "";
        String pct = "";
        String fo = "";
        String testing = "";
        String discovery = "";
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "domain": domain = leaf("policy_published/domain"); break;
                case "p": p = leaf("policy_published/p"); break;
                case "sp": sp = leaf("policy_published/sp"); break;
                case "np": np = leaf("policy_published/np"); break;
                case "adkim": adkim = leaf("policy_published/adkim"); break;
                case "aspf": aspf = leaf("policy_published/aspf"); break;
                case "pct": pct = leaf("policy_published/pct"); break;
                case "fo": fo = leaf("policy_published/fo"); break;
                case "testing": testing = leaf("policy_published/testing"); break;
                case "discovery_method": discovery = leaf("policy_published/discovery_method"); break;
                default: unknown(null, "policy_published/");
            }
        }
        if (domain.isEmpty()) {
            warnings.add("policy_published/domain", "missing or empty");
        }
        Disposition pValue = policyWord(p, "policy_published/p", null);
        if (p.isEmpty()) {
            warnings.add("policy_published/p", "missing or empty");
        }
        Disposition spValue = policyWord(sp, "policy_published/sp", pValue);
        Disposition npValue = policyWord(np, "policy_published/np", spValue);
        Integer pctValue = null;
        if (!pct.isEmpty()) {
            Long v = Words.parseLong(pct);
            if (v == null || v > 100) {
                warnings.add("policy_published/pct", "'" + pct + "' is not a percentage; ignored");
            } else {
                pctValue = v.intValue();
            }
        }
        String testingValue = "n";
        if (!testing.isEmpty()) {
            String t = testing.toLowerCase(java.util.Locale.ROOT);
            if (t.equals("y") || t.equals("n")) {
                testingValue = t;
            } else {
                warnings.add("policy_published/testing", "'" + testing + "' is neither y nor n; read as n");
            }
        }
        String discoveryValue = null;
        if (!discovery.isEmpty()) {
            String d = discovery.toLowerCase(java.util.Locale.ROOT);
            if (d.equals("psl") || d.equals("treewalk")) {
                discoveryValue = d;
            } else {
                warnings.add("policy_published/discovery_method", "'" + discovery + "' is neither psl nor treewalk; ignored");
            }
        }
        return new PolicyPublished(domain, pValue, spValue, npValue,
                alignment(adkim, "policy_published/adkim"), alignment(aspf, "policy_published/aspf"),
                pctValue, fo.isEmpty() ? "0" : fo, testingValue, discoveryValue);
    }

    private Disposition policyWord(String word, String path, Disposition fallback) {
        if (word.isEmpty()) {
            return fallback;
        }
        Disposition d = Words.disposition(word);
        if (d == null || d == Disposition.PASS) {
            warnings.add(path, "'" + word + "' is not a policy (none, quarantine, reject)"
                    + (fallback == null ? "" : "; read as " + fallback.token()));
            return fallback;
        }
        return d;
    }

    private Alignment alignment(String word, String path) {
        if (word.isEmpty()) {
            return Alignment.RELAXED;
        }
        Alignment a = Words.alignment(word);
        if (a == null) {
            warnings.add(path, "'" + word + "' is not an alignment mode (r, s); read as r");
            return Alignment.RELAXED;
        }
        if (word.length() != 1) {
            warnings.add(path, "'" + word + "' read as " + a.token());
        }
        return a;
    }

    // ---- record ---------------------------------------------------------------------------------

    private void readRecord() throws XMLStreamException, ReportParseException {
        int index = records;
        inRecord = true;
        parts.clear();
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "row": readRow(index); break;
                case "identifiers": case "identities": readIdentifiers(index); break;
                case "auth_results": readAuthResults(index); break;
                default: unknown(index, "");
            }
        }
        AggregateRecord record = toRecord(index);
        records++;
        inRecord = false;
        deliver(record);
    }

    private void readRow(int index) throws XMLStreamException, ReportParseException {
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "source_ip": parts.sourceIp = leaf(index, "row/source_ip"); break;
                case "count": parts.count = leaf(index, "row/count"); break;
                case "policy_evaluated": readPolicyEvaluated(index); break;
                default: unknown(index, "row/");
            }
        }
    }

    private void readPolicyEvaluated(int index) throws XMLStreamException, ReportParseException {
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "disposition": parts.disposition = leaf(index, "row/policy_evaluated/disposition"); break;
                case "dkim": parts.dkim = leaf(index, "row/policy_evaluated/dkim"); break;
                case "spf": parts.spf = leaf(index, "row/policy_evaluated/spf"); break;
                case "reason": readReason(index); break;
                default: unknown(index, "row/policy_evaluated/");
            }
        }
    }

    private void readReason(int index) throws XMLStreamException, ReportParseException {
        String type = "";
        String comment = null;
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "type": type = leaf(index, "row/policy_evaluated/reason/type"); break;
                case "comment": comment = emptyToNull(leaf(index, "row/policy_evaluated/reason/comment")); break;
                default: unknown(index, "row/policy_evaluated/reason/");
            }
        }
        PolicyOverride override = null;
        if (type.isEmpty()) {
            warnings.record(index, "row/policy_evaluated/reason/type", "missing or empty");
        } else {
            override = Words.policyOverride(type);
            if (override == null) {
                warnings.record(index, "row/policy_evaluated/reason/type", "'" + type + "' is not a policy override type");
            }
        }
        parts.reasons.add(new PolicyOverrideReason(override, type, comment));
    }

    private void readIdentifiers(int index) throws XMLStreamException, ReportParseException {
        String group = xml.getLocalName();
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "header_from": parts.headerFrom = leaf(index, group + "/header_from"); break;
                case "envelope_from": parts.envelopeFrom = leaf(index, group + "/envelope_from"); break;
                case "envelope_to": parts.envelopeTo = leaf(index, group + "/envelope_to"); break;
                default: unknown(index, group + "/");
            }
        }
    }

    private void readAuthResults(int index) throws XMLStreamException, ReportParseException {
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "dkim": readDkim(index); break;
                case "spf": readSpf(index); break;
                default: unknown(index, "auth_results/");
            }
        }
    }

    private void readDkim(int index) throws XMLStreamException, ReportParseException {
        String domain = "";
        String selector = null;
        String result = "";
        String human = null;
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "domain": domain = leaf(index, "auth_results/dkim/domain"); break;
                case "selector": selector = leaf(index, "auth_results/dkim/selector"); break;
                case "result": result = leaf(index, "auth_results/dkim/result"); break;
                case "human_result": human = emptyToNull(leaf(index, "auth_results/dkim/human_result")); break;
                default: unknown(index, "auth_results/dkim/");
            }
        }
        if (domain.isEmpty()) {
            warnings.record(index, "auth_results/dkim/domain", "missing or empty");
        }
        AuthResult r = authResult(index, "auth_results/dkim/result", result);
        parts.dkimResults.add(new DkimAuthResult(domain, selector == null || selector.isEmpty() ? null : selector,
                r, result, human));
    }

    private void readSpf(int index) throws XMLStreamException, ReportParseException {
        String domain = "";
        String scope = null;
        String result = "";
        String human = null;
        while (nextChild()) {
            switch (xml.getLocalName()) {
                case "domain": domain = leaf(index, "auth_results/spf/domain"); break;
                case "scope": scope = leaf(index, "auth_results/spf/scope"); break;
                case "result": result = leaf(index, "auth_results/spf/result"); break;
                case "human_result": human = emptyToNull(leaf(index, "auth_results/spf/human_result")); break;
                default: unknown(index, "auth_results/spf/");
            }
        }
        if (domain.isEmpty()) {
            warnings.record(index, "auth_results/spf/domain", "missing or empty");
        }
        if (scope != null && !scope.equals("mfrom") && !scope.equals("helo")) {
            String s = scope.toLowerCase(java.util.Locale.ROOT);
            if (s.equals("mfrom") || s.equals("helo")) {
                scope = s;
            } else if (s.isEmpty()) {
                scope = null;
            } else {
                warnings.record(index, "auth_results/spf/scope", "'" + scope + "' is neither mfrom nor helo; kept as written");
            }
        }
        AuthResult r = authResult(index, "auth_results/spf/result", result);
        parts.spfResults.add(new SpfAuthResult(domain, scope, r, result, human));
    }

    private AuthResult authResult(int index, String path, String word) {
        if (word.isEmpty()) {
            warnings.record(index, path, "missing or empty");
            return null;
        }
        AuthResult r = Words.authResult(word);
        if (r == null) {
            warnings.record(index, path, "'" + word + "' is not a DKIM/SPF result");
        } else if (Words.isLegacyAuthWord(word)) {
            warnings.record(index, path, "legacy result word '" + word + "' read as " + r.token());
        }
        return r;
    }

    private AggregateRecord toRecord(int index) {
        String ip = parts.sourceIp == null ? "" : parts.sourceIp;
        long count = 0;
        if (parts.count == null || parts.count.isEmpty()) {
            warnings.record(index, "row/count", "missing or empty; read as 0");
        } else {
            Long c = Words.parseLong(parts.count);
            if (c == null) {
                c = Words.epochSeconds(parts.count);
                warnings.record(index, "row/count", c == null
                        ? "'" + parts.count + "' is not a message count; read as 0"
                        : "'" + parts.count + "' read as " + c);
            }
            count = c == null ? 0 : c;
        }
        boolean usable = count > 0;
        if (ip.isEmpty()) {
            usable = false;
            warnings.record(index, "row/source_ip", count == 0
                    ? "empty heartbeat record (no source_ip, count 0); kept"
                    : "missing or empty");
        } else if (!IpLiteral.isValid(ip)) {
            usable = false;
            warnings.record(index, "row/source_ip", "'" + ip + "' is not an IP address; kept as written");
        }
        if (usable) {
            usableRecords++;
        }
        Disposition disposition = null;
        if (parts.disposition == null || parts.disposition.isEmpty()) {
            warnings.record(index, "row/policy_evaluated/disposition", "missing or empty");
        } else {
            disposition = Words.disposition(parts.disposition);
            if (disposition == null) {
                warnings.record(index, "row/policy_evaluated/disposition", "'" + parts.disposition + "' is not a disposition");
            }
        }
        DmarcResult dkim = dmarcResult(index, "row/policy_evaluated/dkim", parts.dkim);
        DmarcResult spf = dmarcResult(index, "row/policy_evaluated/spf", parts.spf);
        String headerFrom = parts.headerFrom == null ? "" : parts.headerFrom;
        if (headerFrom.isEmpty()) {
            warnings.record(index, "identifiers/header_from", "missing or empty");
        }
        return new AggregateRecord(index, ip, count, disposition, dkim, spf, parts.reasons, headerFrom,
                emptyToNull(parts.envelopeFrom), emptyToNull(parts.envelopeTo), parts.dkimResults, parts.spfResults);
    }

    private DmarcResult dmarcResult(int index, String path, String word) {
        if (word == null || word.isEmpty()) {
            warnings.record(index, path, "missing or empty");
            return null;
        }
        DmarcResult r = Words.dmarcResult(word);
        if (r == null) {
            warnings.record(index, path, "'" + word + "' is neither pass nor fail");
        }
        return r;
    }

    // ---- handing over ---------------------------------------------------------------------------

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
        } else if (usableRecords == 0) {
            all.add(new ParseWarning("", "none of the " + records + " records has both a valid source IP and a message count above 0"));
        }
        handler.endAggregate(all);
    }

    /**
     * Ends the report at a well-formedness error of the recovery pass, when what was read before it is
     * worth keeping (a truncated document). Returns false when nothing usable was read.
     */
    boolean finishAtError(XMLStreamException error, String description) throws ReportParseException {
        if (ended) {
            return true;
        }
        if (metadata == null && policy == null && records == 0) {
            return false;
        }
        closing.add(new ParseWarning(location(error.getLocation()), "the document cannot be read past this point ("
                + description + "); the " + records + " records before it are kept"));
        if (inRecord) {
            closing.add(new ParseWarning("record " + records, "incomplete at the end of the document; dropped"));
        }
        finish();
        return true;
    }

    private static String location(Location l) {
        return l == null ? "" : "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }

    // ---- StAX helpers ---------------------------------------------------------------------------

    /** Moves to the next child element of the current one (true) or to its end tag (false). */
    private boolean nextChild() throws XMLStreamException {
        for (;;) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            // Whitespace, comments and stray text between elements carry no report data.
        }
    }

    private String leaf(int index, String path) throws XMLStreamException, ReportParseException {
        return leaf0(index, path);
    }

    private String leaf(String path) throws XMLStreamException, ReportParseException {
        return leaf0(-1, path);
    }

    /** The trimmed text of the current element; nested elements are skipped with a warning. */
    private String leaf0(int index, String path) throws XMLStreamException, ReportParseException {
        String first = null;
        text.setLength(0);
        for (;;) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    if (first == null && text.length() == 0) {
                        first = xml.getText();
                    } else {
                        if (first != null) {
                            text.append(first);
                            first = null;
                        }
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                    int length = first != null ? first.length() : text.length();
                    if (length > limits.maxTextLength()) {
                        throw new LimitExceededException(source, "XML text of <" + path + "> is longer than "
                                + limits.maxTextLength() + " characters (line " + xml.getLocation().getLineNumber() + ")");
                    }
                    break;
                case XMLStreamConstants.START_ELEMENT:
                    String nested = xml.getPrefixedName();
                    warn(index, path, "unexpected element <" + nested + "> inside a value; ignored");
                    skip();
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    warn(index, path, "entity reference &" + xml.getLocalName() + "; not expanded; left out");
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    return first != null ? first.strip() : text.toString().strip();
                default:
                    // comments and processing instructions inside a value
            }
        }
    }

    /** Skips the current element and everything inside it. */
    private void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /**
     * An element this reader does not know. Elements in another namespace than the report's are
     * extensions (RFC 9990): ignored quietly. Anything else is ignored with a warning.
     */
    private void unknown(Integer index, String parentPath) throws XMLStreamException {
        String ns = xml.getNamespaceURI();
        boolean extension = ns != null && !ns.isEmpty() && !ns.equals(namespace);
        if (!extension) {
            warn(index == null ? -1 : index, parentPath + xml.getLocalName(),
                    "unknown element <" + xml.getPrefixedName() + "> ignored");
        }
        skip();
    }

    private void warn(int index, String path, String message) {
        if (index >= 0) {
            warnings.record(index, path, message);
        } else {
            warnings.add(path, message);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
