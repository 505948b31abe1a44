package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ReportParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;

/** Reads {@code report_metadata} and {@code policy_published}, with defaults and warnings for what is missing. */
final class HeaderReader {
    private static final int MAX_METADATA_ERRORS = 100;

    private final XmlCursor cursor;
    private final WarningLog warnings;

    HeaderReader(XmlCursor cursor, WarningLog warnings) {
        this.cursor = cursor;
        this.warnings = warnings;
    }

    /** Reads the current {@code <report_metadata>}, filling what is missing, with warnings. */
    ReportMetadata readMetadata() throws XMLStreamException, ReportParseException {
        String org = "";
        String email = "";
        String extra = null;
        String id = "";
        String generator = null;
        DateRange range = null;
        List<String> errors = new ArrayList<>();
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "org_name": org = cursor.leaf("report_metadata/org_name"); break;
                case "email": email = cursor.leaf("report_metadata/email"); break;
                case "extra_contact_info": extra = XmlCursor.emptyToNull(cursor.leaf("report_metadata/extra_contact_info")); break;
                case "report_id": id = cursor.leaf("report_metadata/report_id"); break;
                case "date_range": range = readDateRange(); break;
                case "generator": generator = XmlCursor.emptyToNull(cursor.leaf("report_metadata/generator")); break;
                case "error":
                    String e = cursor.leaf("report_metadata/error");
                    if (errors.size() < MAX_METADATA_ERRORS && !e.isEmpty()) {
                        errors.add(e);
                    } else if (!e.isEmpty()) {
                        warnings.add("report_metadata/error", "more than " + MAX_METADATA_ERRORS + " <error> elements; this one was not kept: " + e);
                    }
                    break;
                default: cursor.unknown(-1, "report_metadata/");
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
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "begin": begin = timestamp("report_metadata/date_range/begin"); break;
                case "end": end = timestamp("report_metadata/date_range/end"); break;
                default: cursor.unknown(-1, "report_metadata/date_range/");
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
        String t = cursor.leaf(path);
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

    /** Reads the current {@code <policy_published>} with the RFC defaults for what is missing. */
    PolicyPublished readPolicy() throws XMLStreamException, ReportParseException {
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
        while (cursor.nextChild()) {
            switch (cursor.localName()) {
                case "domain": domain = cursor.leaf("policy_published/domain"); break;
                case "p": p = cursor.leaf("policy_published/p"); break;
                case "sp": sp = cursor.leaf("policy_published/sp"); break;
                case "np": np = cursor.leaf("policy_published/np"); break;
                case "adkim": adkim = cursor.leaf("policy_published/adkim"); break;
                case "aspf": aspf = cursor.leaf("policy_published/aspf"); break;
                case "pct": pct = cursor.leaf("policy_published/pct"); break;
                case "fo": fo = cursor.leaf("policy_published/fo"); break;
                case "testing": testing = cursor.leaf("policy_published/testing"); break;
                case "discovery_method": discovery = cursor.leaf("policy_published/discovery_method"); break;
                default: cursor.unknown(-1, "policy_published/");
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
}
