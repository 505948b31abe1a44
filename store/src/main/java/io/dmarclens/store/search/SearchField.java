package io.dmarclens.store.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields a user can search, with the names they may type for each (docs/search.md) and how each is
 * matched. Every store indexes a document's values under {@link #fieldName()}.
 */
public enum SearchField {
    IP("ip", Kind.ADDRESS, "ip", "source", "sourceip", "source_ip", "src"),
    DATE("date", Kind.DATE, "date", "day"),
    PTR("ptr", Kind.KEYWORD, "ptr", "rdns", "reversedns", "reverse_dns", "hostname", "host"),
    BASE("base", Kind.KEYWORD, "base", "basedomain", "base_domain"),
    SENDER("sender", Kind.TEXT, "sender", "service", "sendername", "sender_name"),
    TYPE("type", Kind.TEXT, "type", "sendertype", "sender_type"),
    ASN("asn", Kind.KEYWORD, "asn", "as"),
    ASNAME("asname", Kind.TEXT, "asname", "as_name", "asorg", "isp"),
    COUNTRY("country", Kind.KEYWORD, "country", "cc"),
    FROM("from", Kind.KEYWORD, "from", "headerfrom", "header_from"),
    ENVFROM("envfrom", Kind.KEYWORD, "envfrom", "envelopefrom", "envelope_from", "mailfrom", "mail_from"),
    ENVTO("envto", Kind.KEYWORD, "envto", "envelopeto", "envelope_to", "rcpt", "rcptto"),
    DKIMDOMAIN("dkimdomain", Kind.KEYWORD, "dkimdomain", "dkim_domain", "d"),
    SELECTOR("selector", Kind.KEYWORD, "selector", "dkimselector", "dkim_selector", "s"),
    DKIMRESULT("dkimresult", Kind.KEYWORD, "dkimresult", "dkim_result"),
    SPFDOMAIN("spfdomain", Kind.KEYWORD, "spfdomain", "spf_domain"),
    SPFRESULT("spfresult", Kind.KEYWORD, "spfresult", "spf_result"),
    DKIM("dkim", Kind.KEYWORD, "dkim"),
    SPF("spf", Kind.KEYWORD, "spf"),
    DMARC("dmarc", Kind.KEYWORD, "dmarc"),
    DISPOSITION("disposition", Kind.KEYWORD, "disposition", "disp", "action"),
    OVERRIDE("override", Kind.KEYWORD, "override", "overridereason", "override_reason"),
    REPORTER("reporter", Kind.TEXT, "reporter", "org_name", "orgname"),
    DOMAIN("domain", Kind.KEYWORD, "domain", "policydomain", "policy_domain", "policy"),
    CLASS("class", Kind.KEYWORD, "class", "classification"),
    REASON("reason", Kind.TEXT, "reason", "why"),
    SUBJECT("subject", Kind.TEXT, "subject"),
    TO("to", Kind.KEYWORD, "to"),
    MSGID("msgid", Kind.KEYWORD, "msgid", "messageid", "message_id", "message-id"),
    AUTHFAILURE("authfailure", Kind.KEYWORD, "authfailure", "auth_failure", "auth-failure", "authfail"),
    RESULT("result", Kind.KEYWORD, "result", "resulttype", "result_type"),
    MX("mx", Kind.KEYWORD, "mx", "mxhost", "receivingmx"),
    POLICYTYPE("policytype", Kind.KEYWORD, "policytype", "policy_type"),
    /** What a document is: {@code record}, {@code failure} or {@code tls}. */
    KIND("kind", Kind.KEYWORD, "kind", "doc"),
    DETAIL("detail", Kind.TEXT, "detail", "comment", "info"),
    /** The origin of the document's report: verified, unverified, imported, not_checked (docs/security.md). */
    ORIGIN("origin", Kind.KEYWORD, "origin", "verdict", "authenticity"),
    /**
     * Every field at once: the parser expands a value for it into one query per {@link #freeText()} field
     * (and {@code ip:} for an address). No document holds it; a range on it finds nothing.
     */
    ALL("all", Kind.TEXT, "all", "text");

    /** How a field's values are indexed and matched. */
    public enum Kind {
        /** A whole value, lower-cased: exact match, wildcards, ranges of strings. */
        KEYWORD,
        /** Analysed into lower-cased words (Unicode word boundaries): words and phrases. */
        TEXT,
        /** An IPv4 or IPv6 address: exact, CIDR and ranges. */
        ADDRESS,
        /** A UTC instant (seconds), searched by UTC days. */
        DATE
    }

    private static final Map<String, SearchField> BY_NAME = byName();
    private static final List<SearchField> FREE_TEXT = List.of(PTR, BASE, SENDER, TYPE, ASN, ASNAME, COUNTRY, FROM,
            ENVFROM, ENVTO, DKIMDOMAIN, SELECTOR, SPFDOMAIN, DISPOSITION, OVERRIDE, REPORTER, DOMAIN, CLASS, REASON,
            SUBJECT, TO, MSGID, AUTHFAILURE, RESULT, MX, POLICYTYPE, DETAIL);

    private final String fieldName;
    private final Kind kind;
    private final List<String> names;

    SearchField(String fieldName, Kind kind, String... names) {
        this.fieldName = fieldName;
        this.kind = kind;
        this.names = List.of(names);
    }

    /** The canonical name: how documents hold the field and how error messages name it. */
    public String fieldName() {
        return fieldName;
    }

    public Kind kind() {
        return kind;
    }

    /** Every name a user may type for this field, the canonical one first. */
    public List<String> names() {
        return names;
    }

    /** The field a user's name stands for, ignoring case. */
    public static Optional<SearchField> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The fields a value without a field name is looked for in (besides {@code ip:} for an address). */
    public static List<SearchField> freeText() {
        return FREE_TEXT;
    }

    /** The canonical names, sorted, as error messages list them. */
    static Set<String> canonicalNames() {
        Set<String> out = new TreeSet<>();
        for (SearchField f : values()) {
            out.add(f.fieldName);
        }
        return Collections.unmodifiableSet(out);
    }

    private static Map<String, SearchField> byName() {
        Map<String, SearchField> m = new LinkedHashMap<>();
        for (SearchField f : values()) {
            for (String n : f.names) {
                m.put(n, f);
            }
        }
        return Map.copyOf(m);
    }
}
