package io.dmarclens.index.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields of the search index and the names users may type for them. Keyword fields hold whole
 * lower-cased values (exact match, wildcards allowed); text fields are analysed into words.
 */
public final class SearchFields {
    private SearchFields() {
    }

    // Internal fields.
    static final String KIND = "kind";
    /** Doc value: database id * 4 + kind ordinal; the only thing a hit needs to load its row. */
    static final String REF = "ref";
    static final String REPORT = "report";
    static final String IP_KEY = "ipkey";
    static final String DATE_SORT = "date_sort";
    /** The default field: a term without a field name is looked for in every field but ip, date and kind. */
    public static final String ALL = "all";

    // Fields users search; canonical names.
    public static final String IP = "ip";
    public static final String DATE = "date";
    public static final String PTR = "ptr";
    public static final String BASE = "base";
    public static final String SENDER = "sender";
    public static final String TYPE = "type";
    public static final String ASN = "asn";
    public static final String ASNAME = "asname";
    public static final String COUNTRY = "country";
    public static final String FROM = "from";
    public static final String ENVFROM = "envfrom";
    public static final String ENVTO = "envto";
    public static final String DKIMDOMAIN = "dkimdomain";
    public static final String SELECTOR = "selector";
    public static final String DKIMRESULT = "dkimresult";
    public static final String SPFDOMAIN = "spfdomain";
    public static final String SPFRESULT = "spfresult";
    public static final String DKIM = "dkim";
    public static final String SPF = "spf";
    public static final String DMARC = "dmarc";
    public static final String DISPOSITION = "disposition";
    public static final String OVERRIDE = "override";
    public static final String REPORTER = "reporter";
    public static final String DOMAIN = "domain";
    public static final String CLASS = "class";
    public static final String REASON = "reason";
    public static final String SUBJECT = "subject";
    public static final String TO = "to";
    public static final String MSGID = "msgid";
    public static final String AUTHFAILURE = "authfailure";
    public static final String RESULT = "result";
    public static final String MX = "mx";
    public static final String POLICYTYPE = "policytype";
    public static final String DETAIL = "detail";
    public static final String DOC = "kind";
    /** The verdict on the origin of the document's report ({@code verified}, {@code unverified}, ...). */
    public static final String ORIGIN = "origin";
    /** The {@link #ORIGIN} of reports that {@code excludeUnverified} leaves out. */
    static final String UNVERIFIED = "unverified";

    /** Fields analysed into words; every other user field is a keyword field. */
    static final Set<String> TEXT_FIELDS = Set.of(ALL, SENDER, TYPE, ASNAME, REPORTER, REASON, SUBJECT, DETAIL);

    /** The fields a term without a field name is looked for in. */
    static final java.util.List<String> FREE_TEXT_FIELDS = java.util.List.of(PTR, BASE, SENDER, TYPE, ASN, ASNAME,
            COUNTRY, FROM, ENVFROM, ENVTO, DKIMDOMAIN, SELECTOR, SPFDOMAIN, DISPOSITION, OVERRIDE, REPORTER, DOMAIN,
            CLASS, REASON, SUBJECT, TO, MSGID, AUTHFAILURE, RESULT, MX, POLICYTYPE, DETAIL);

    /** Every name a user may type, mapped to its field; documented in docs/search.md. */
    static final Map<String, String> ALIASES = aliases();

    private static Map<String, String> aliases() {
        Map<String, String> m = new LinkedHashMap<>();
        alias(m, IP, "ip", "source", "sourceip", "source_ip", "src");
        alias(m, DATE, "date", "day");
        alias(m, PTR, "ptr", "rdns", "reversedns", "reverse_dns", "hostname", "host");
        alias(m, BASE, "base", "basedomain", "base_domain");
        alias(m, SENDER, "sender", "service", "sendername", "sender_name");
        alias(m, TYPE, "type", "sendertype", "sender_type");
        alias(m, ASN, "asn", "as");
        alias(m, ASNAME, "asname", "as_name", "asorg", "isp");
        alias(m, COUNTRY, "country", "cc");
        alias(m, FROM, "from", "headerfrom", "header_from");
        alias(m, ENVFROM, "envfrom", "envelopefrom", "envelope_from", "mailfrom", "mail_from");
        alias(m, ENVTO, "envto", "envelopeto", "envelope_to", "rcpt", "rcptto");
        alias(m, DKIMDOMAIN, "dkimdomain", "dkim_domain", "d");
        alias(m, SELECTOR, "selector", "dkimselector", "dkim_selector", "s");
        alias(m, DKIMRESULT, "dkimresult", "dkim_result");
        alias(m, SPFDOMAIN, "spfdomain", "spf_domain");
        alias(m, SPFRESULT, "spfresult", "spf_result");
        alias(m, DKIM, "dkim");
        alias(m, SPF, "spf");
        alias(m, DMARC, "dmarc");
        alias(m, DISPOSITION, "disposition", "disp", "action");
        alias(m, OVERRIDE, "override", "overridereason", "override_reason");
        alias(m, REPORTER, "reporter", "org_name", "orgname");
        alias(m, DOMAIN, "domain", "policydomain", "policy_domain", "policy");
        alias(m, CLASS, "class", "classification");
        alias(m, REASON, "reason", "why");
        alias(m, SUBJECT, "subject");
        alias(m, TO, "to");
        alias(m, MSGID, "msgid", "messageid", "message_id", "message-id");
        alias(m, AUTHFAILURE, "authfailure", "auth_failure", "auth-failure", "authfail");
        alias(m, RESULT, "result", "resulttype", "result_type");
        alias(m, MX, "mx", "mxhost", "receivingmx");
        alias(m, POLICYTYPE, "policytype", "policy_type");
        alias(m, DOC, "kind", "doc");
        alias(m, DETAIL, "detail", "comment", "info");
        alias(m, ORIGIN, "origin", "verdict", "authenticity");
        alias(m, ALL, "all", "text");
        return Map.copyOf(m);
    }

    private static void alias(Map<String, String> m, String field, String... names) {
        for (String n : names) {
            m.put(n, field);
        }
    }
}
