package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ReportParseException;
import javax.xml.stream.XMLStreamException;

/**
 * Reads one {@code <record>} into an {@link AggregateRecord}: elements in any order, words normalised,
 * every value that cannot be read as written warned about as {@code record N path}.
 */
final class RecordReader {
    private final XmlCursor cursor;
    private final WarningLog warnings;
    private final RecordParts parts = new RecordParts();
    private int usableRecords;

    RecordReader(XmlCursor cursor, WarningLog warnings) {
        this.cursor = cursor;
        this.warnings = warnings;
    }

    /** Reads the current {@code <record>} as record {@code index}. */
    AggregateRecord read(int index) throws XMLStreamException, ReportParseException {
        parts.clear();
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "row": readRow(index); break;
                case "identifiers": case "identities": readIdentifiers(index); break;
                case "auth_results": readAuthResults(index); break;
                default: cursor.unknown(index, "");
            }
        }
        return toRecord(index);
    }

    /** Records read so far with a valid source IP and a count above 0. */
    int usableRecords() {
        return usableRecords;
    }

    private void readRow(int index) throws XMLStreamException, ReportParseException {
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "source_ip": parts.sourceIp = cursor.leaf(index, "row/source_ip"); break;
                case "count": parts.count = cursor.leaf(index, "row/count"); break;
                case "policy_evaluated": readPolicyEvaluated(index); break;
                default: cursor.unknown(index, "row/");
            }
        }
    }

    private void readPolicyEvaluated(int index) throws XMLStreamException, ReportParseException {
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "disposition": parts.disposition = cursor.leaf(index, "row/policy_evaluated/disposition"); break;
                case "dkim": parts.dkim = cursor.leaf(index, "row/policy_evaluated/dkim"); break;
                case "spf": parts.spf = cursor.leaf(index, "row/policy_evaluated/spf"); break;
                case "reason": readReason(index); break;
                default: cursor.unknown(index, "row/policy_evaluated/");
            }
        }
    }

    private void readReason(int index) throws XMLStreamException, ReportParseException {
        String type = "";
        String comment = null;
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "type": type = cursor.leaf(index, "row/policy_evaluated/reason/type"); break;
                case "comment": comment = XmlCursor.emptyToNull(cursor.leaf(index, "row/policy_evaluated/reason/comment")); break;
                default: cursor.unknown(index, "row/policy_evaluated/reason/");
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
        String group = cursor.localName();
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "header_from": parts.headerFrom = cursor.leaf(index, group + "/header_from"); break;
                case "envelope_from": parts.envelopeFrom = cursor.leaf(index, group + "/envelope_from"); break;
                case "envelope_to": parts.envelopeTo = cursor.leaf(index, group + "/envelope_to"); break;
                default: cursor.unknown(index, group + "/");
            }
        }
    }

    private void readAuthResults(int index) throws XMLStreamException, ReportParseException {
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "dkim": readDkim(index); break;
                case "spf": readSpf(index); break;
                default: cursor.unknown(index, "auth_results/");
            }
        }
    }

    private void readDkim(int index) throws XMLStreamException, ReportParseException {
        String domain = "";
        String selector = null;
        String result = "";
        String human = null;
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "domain": domain = cursor.leaf(index, "auth_results/dkim/domain"); break;
                case "selector": selector = cursor.leaf(index, "auth_results/dkim/selector"); break;
                case "result": result = cursor.leaf(index, "auth_results/dkim/result"); break;
                case "human_result": human = XmlCursor.emptyToNull(cursor.leaf(index, "auth_results/dkim/human_result")); break;
                default: cursor.unknown(index, "auth_results/dkim/");
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
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "domain": domain = cursor.leaf(index, "auth_results/spf/domain"); break;
                case "scope": scope = cursor.leaf(index, "auth_results/spf/scope"); break;
                case "result": result = cursor.leaf(index, "auth_results/spf/result"); break;
                case "human_result": human = XmlCursor.emptyToNull(cursor.leaf(index, "auth_results/spf/human_result")); break;
                default: cursor.unknown(index, "auth_results/spf/");
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
                XmlCursor.emptyToNull(parts.envelopeFrom), XmlCursor.emptyToNull(parts.envelopeTo), parts.dkimResults, parts.spfResults);
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
}
