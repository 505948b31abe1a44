package io.dmarclens.index.search;

/**
 * The fields of the Lucene index: the internal ones, and those users search, named as
 * {@link io.dmarclens.store.search.SearchField#fieldName()} names them (aliases and kinds are there).
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
}
