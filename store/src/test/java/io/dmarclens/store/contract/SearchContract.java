package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Search: one query per searchable field (source IP and CIDR ranges, enrichment, identifiers, auth
 * results, report identity, verdicts, dates, failure and TLS report fields, free text and boolean logic)
 * over a store whose documents are known, hits newest first, and syntax errors as clear messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SearchContract {
    static final LocalDate D = LocalDate.of(2024, 5, 1);

    Store store;

    /** Opens the store under test in an empty {@code dir}, on {@code clock}; see {@link StoreContract#openStore}. */
    protected abstract Store openStore(Path dir, Clock clock);

    @BeforeAll
    void fill(@TempDir Path dir) {
        store = openStore(dir, Clocks.system());
        long d = KitReports.epoch(D);
        ImportBatch a = store.beginImport(KitReports.source("a.xml"));
        a.beginAggregate(KitReports.header("google.com", "a-1", "example.com", d, d + 86_399));
        for (AggregateRecord r : List.of(KitReports.passing(0, "203.0.113.5", 10, "example.com"),
                KitReports.forwarded(1, "198.51.100.7", 3, "example.com"),
                KitReports.spoofed(2, "192.0.2.66", 4, "example.com"))) {
            a.record(r, KitReports.enrichment(r, r.index() == 0 ? KitReports.GOOGLE : null));
        }
        a.endAggregate(List.of());
        a.failure(KitReports.failureReport("192.0.2.66", "Invoice overdue", "Billing <billing@example.com>",
                "<abc123@evil.example>", Instant.ofEpochSecond(d + 3600)));
        a.tls(KitReports.tlsReport("tls-1", Instant.ofEpochSecond(d)));
        a.commit();
        KitReports.store(store, KitReports.source("b.xml"), KitReports.header("Microsoft Corporation", "b-1", "example.com",
                d + 86_400, d + 2 * 86_400), List.of(KitReports.spoofed(0, "2001:db8::66", 2, "example.com")), null);
        store.awaitIndexed();
    }

    @AfterAll
    void close() {
        store.close();
    }

    @ParameterizedTest(name = "{0} -> {1} records, {2} failure, {3} tls")
    @CsvSource(delimiter = '|', value = {
            // source IP: exact, CIDR v4 and v6, range, quoted v6
            "ip:203.0.113.5                               | 1 | 0 | 0",
            "ip:203.0.113.0/24                            | 1 | 0 | 0",
            "ip:192.0.2.0/24                              | 1 | 1 | 0",
            "source:192.0.2.66                            | 1 | 1 | 0",
            "ip:2001:db8::/32                             | 1 | 0 | 0",
            "ip:2001:db8::66                              | 1 | 0 | 0",
            "ip:\"2001:db8::66\"                          | 1 | 0 | 0",
            "ip:0.0.0.0/0                                 | 3 | 1 | 1",
            "ip:[198.51.100.0 TO 198.51.100.255]          | 1 | 0 | 1",
            "ip:198.51.100.0/24 AND kind:tls              | 0 | 0 | 1",
            // enrichment
            "ptr:mail-yw1-f170.google.com                 | 1 | 0 | 0",
            "rdns:*.google.com                            | 1 | 0 | 0",
            "base:google.com                              | 1 | 0 | 0",
            "sender:google                                | 1 | 0 | 0",
            "type:\"email provider\"                      | 1 | 0 | 0",
            "asn:15169                                    | 1 | 0 | 0",
            "asn:AS15169                                  | 1 | 0 | 0",
            "asname:google                                | 1 | 0 | 0",
            "country:US                                   | 1 | 0 | 0",
            // identifiers
            "from:example.com                             | 4 | 1 | 0",
            "header_from:EXAMPLE.COM AND kind:record      | 4 | 0 | 0",
            "envfrom:lists.example.org                    | 1 | 0 | 0",
            "envelope_from:evil.example                   | 2 | 1 | 0",
            "envto:example.net                            | 4 | 1 | 0",
            // auth results
            "dkimdomain:evil.example                      | 2 | 0 | 0",
            "dkimdomain:example.com                       | 2 | 1 | 0",
            "selector:s2                                  | 1 | 0 | 0",
            "dkimresult:fail                              | 2 | 0 | 0",
            "spfdomain:lists.example.org                  | 1 | 0 | 0",
            "spfresult:softfail                           | 2 | 0 | 0",
            "dkim:fail                                    | 2 | 0 | 0",
            "spf:fail                                     | 3 | 0 | 0",
            "dmarc:fail                                   | 2 | 0 | 0",
            "disposition:reject                           | 2 | 0 | 0",
            "override:forwarded                           | 1 | 0 | 0",
            // report identity and our verdict
            "reporter:google.com AND kind:record          | 3 | 0 | 0",
            "reporter:microsoft                           | 1 | 0 | 0",
            "reporter:yahoo                               | 0 | 1 | 0",
            "domain:example.com                           | 4 | 1 | 1",
            "class:threat                                 | 2 | 0 | 0",
            "classification:forwarded                     | 1 | 0 | 0",
            "reason:\"unknown source\"                    | 2 | 0 | 0",
            "date:2024-05-01                              | 3 | 1 | 1",
            "date:[2024-05-02 TO 2024-05-03]              | 1 | 0 | 0",
            // failure reports
            "subject:invoice                              | 0 | 1 | 0",
            "to:example.net AND kind:failure              | 0 | 1 | 0",
            "msgid:evil.example                           | 0 | 1 | 0",
            // ... but not by what the dashboard redacts: local parts and display names (#14)
            "to:victim@example.net                        | 0 | 0 | 0",
            "from:billing@example.com                     | 0 | 0 | 0",
            "msgid:abc123@evil.example                    | 0 | 0 | 0",
            "victim                                       | 0 | 0 | 0",
            "billing                                      | 0 | 0 | 0",
            "abc123                                       | 0 | 0 | 0",
            "authfailure:dkim                             | 0 | 1 | 0",
            // TLS failure details
            "result:certificate-expired                   | 0 | 0 | 1",
            "mx:mx1.example.com                           | 0 | 0 | 1",
            "policytype:sts                               | 0 | 0 | 1",
            // free text and boolean logic
            "lists.example.org                            | 1 | 0 | 0",
            "invoice                                      | 0 | 1 | 0",
            "class:threat OR class:forwarded              | 3 | 0 | 0",
            "from:example.com -dkim:fail                  | 2 | 1 | 0",
            // more CIDR blocks and address ranges, IPv4 and IPv6; a value without a field that is an address
            "ip:2001:db8::/64                             | 1 | 0 | 0",
            "ip:192.0.2.0/25                              | 1 | 1 | 0",
            "ip:192.0.2.128/25                            | 0 | 0 | 0",
            "ip:192.0.2.77/24                             | 1 | 1 | 0",
            "ip:[\"2001:db8::\" TO \"2001:db8::ff\"]      | 1 | 0 | 0",
            "ip:{198.51.100.7 TO 198.51.100.255]          | 0 | 0 | 1",
            "ip:[* TO 192.0.2.255]                        | 1 | 1 | 0",
            "198.51.100.20                                | 0 | 0 | 1",
            "192.0.2.25                                   | 0 | 0 | 1",
            // ranges of values and of days (whole UTC days, both ends included)
            "domain:[a TO f]                              | 4 | 1 | 1",
            "domain:{example.com TO *]                    | 0 | 0 | 0",
            "date:[* TO 2024-05-01]                       | 3 | 1 | 1",
            "date:{2024-05-01 TO 2024-05-02]              | 4 | 1 | 1",
            // wildcards, also at the start; prefixes; fuzzy terms
            "ptr:*google.com                              | 1 | 0 | 0",
            "from:*.com                                   | 4 | 1 | 0",
            "*example.org                                 | 1 | 0 | 0",
            "rdns:?ail*                                   | 1 | 0 | 0",
            "mx:*.example.com                             | 0 | 0 | 1",
            "sender:goo*                                  | 1 | 0 | 0",
            "subject:invoce~1                             | 0 | 1 | 0",
            // phrases: words in order, or within a slop
            "subject:\"invoice overdue\"                  | 0 | 1 | 0",
            "subject:\"overdue invoice\"                  | 0 | 0 | 0",
            "subject:\"overdue invoice\"~2                | 0 | 1 | 0",
            "\"invoice overdue\"                          | 0 | 1 | 0",
            "reporter:\"google inc\"                      | 0 | 0 | 1",
            // NOT, -, OR, grouping; a query of exclusions only finds nothing (as Lucene's)
            "kind:record NOT class:threat                 | 2 | 0 | 0",
            "kind:record AND NOT dkim:fail                | 2 | 0 | 0",
            "-kind:record                                 | 0 | 0 | 0",
            "NOT class:threat                             | 0 | 0 | 0",
            "kind:record -(class:threat OR class:forwarded) | 1 | 0 | 0",
            "class:threat OR kind:tls                     | 2 | 0 | 1",
            "class:threat && !kind:tls                    | 2 | 0 | 0",
            "(kind:failure OR kind:tls) domain:example.com | 0 | 1 | 1",
            // failure report and TLS failure fields
            "authfailure:dmarc                            | 0 | 1 | 0",
            "result:reject                                | 0 | 1 | 0",
            "detail:auth-failure                          | 0 | 1 | 0",
            "selector:sel1                                | 0 | 1 | 0",
            "reason:x509_expired                          | 0 | 0 | 1",
            "detail:\"cert expired\"                      | 0 | 0 | 1",
            "reporter:smtp-tls-reporting@google.com       | 0 | 0 | 1",
    })
    void findsByField(String query, int records, int failures, int tls) throws Exception {
        SearchResults r = store.search(query, 100);
        assertEquals(records, count(r, SearchHit.Kind.RECORD), "records for " + query);
        assertEquals(failures, count(r, SearchHit.Kind.FAILURE), "failure reports for " + query);
        assertEquals(tls, count(r, SearchHit.Kind.TLS), "TLS failures for " + query);
        assertEquals(records + failures + tls, r.totalHits());
    }

    private static long count(SearchResults r, SearchHit.Kind kind) {
        return r.hits().stream().filter(h -> h.kind() == kind).count();
    }

    @Test
    protected void hitsAreNewestFirstAndLimited() throws Exception {
        SearchResults r = store.search("domain:example.com", 2);
        assertEquals(6, r.totalHits());
        assertEquals(2, r.hits().size());
        assertEquals(SearchHit.Kind.RECORD, r.hits().get(0).kind());
        assertEquals(Instant.ofEpochSecond(KitReports.epoch(D.plusDays(1))), r.hits().get(0).date());
        assertEquals("2001:db8::66", store.reports().records(List.of(r.hits().get(0).id())).get(0).sourceIp());
    }

    /** Every name of every field finds what the field's own name finds. */
    @Test
    void everyAliasFindsWhatItsFieldFinds() throws Exception {
        int withHits = 0;
        for (SearchField field : SearchField.values()) {
            String value = switch (field) {
                case IP -> "0.0.0.0/0";
                case DATE -> "[* TO *]";
                case ALL -> "example*";
                default -> "*";
            };
            SearchResults canonical = store.search(field.fieldName() + ":" + value, 100);
            withHits += canonical.totalHits() > 0 ? 1 : 0;
            for (String name : field.names()) {
                SearchResults r = store.search(name + ":" + value, 100);
                assertEquals(canonical.totalHits(), r.totalHits(), name + " as " + field.fieldName());
                assertEquals(canonical.hits(), r.hits(), name + " as " + field.fieldName());
            }
        }
        assertTrue(withHits >= 30, "fields with hits: " + withHits);
    }

    /** The exact message of each kind of query that cannot be read, as docs/search.md promises them. */
    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsHaveTheirExactMessages(String query, String message) {
        SearchSyntaxException e = assertThrows(SearchSyntaxException.class, () -> store.search(query, 10));
        assertEquals(message, e.getMessage());
        assertEquals(query, e.query());
    }

    static Stream<Arguments> syntaxErrors() {
        String check = " (check quotes, brackets and a value after each field name)";
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1025; i++) {
            many.append("w").append(i).append(' ');
        }
        return Stream.of(
                Arguments.of("   ", "the search query is empty"),
                Arguments.of("ip:(", "cannot read the search query 'ip:(': Encountered \"<EOF>\" at line 1, column 4." + check),
                Arguments.of("a)", "cannot read the search query 'a)': Encountered \" \")\" \") \"\" at line 1, column 1." + check),
                Arguments.of("AND a", "cannot read the search query 'AND a': Encountered \" <AND> \"AND \"\" at line 1, column 0." + check),
                Arguments.of("[a b]", "cannot read the search query '[a b]': Encountered \" <RANGE_GOOP> \"b \"\" at line 1, column 3." + check),
                Arguments.of("from:\"example.com", "cannot read the search query 'from:\"example.com': Lexical error at line 1,"
                        + " column 18.  Encountered: <EOF> after prefix \"\\\"example.com\" (in lexical state 2)" + check),
                Arguments.of("a ] b", "cannot read the search query 'a ] b': Lexical error at line 1, column 3.  Encountered:"
                        + " '93' (93), (in lexical state 2)" + check),
                Arguments.of("a^x", "cannot read the search query 'a^x': Lexical error at line 1, column 4.  Encountered: <EOF>" + check),
                Arguments.of("a\\", "cannot read the search query 'a\\': Lexical error at line 1, column 3.  Encountered: <EOF>"
                        + " (in lexical state 2)" + check),
                Arguments.of("x\\u00", "cannot read the search query 'x\\u00': Truncated unicode escape sequence." + check),
                Arguments.of("a~1.5", "cannot read the search query 'a~1.5': Fractional edit distances are not allowed!" + check),
                Arguments.of("a~-1", "cannot read the search query 'a~-1': Minimum similarity for a FuzzyQuery has to be"
                        + " between 0.0f and 1.0f !" + check),
                Arguments.of(many.toString(), "cannot read the search query '" + many + "': too many boolean clauses" + check),
                Arguments.of("sorce:192.0.2.1", "unknown field 'sorce' (known fields: all, asn, asname, authfailure, base, class,"
                        + " country, date, detail, disposition, dkim, dkimdomain, dkimresult, dmarc, domain, envfrom, envto, from,"
                        + " ip, kind, msgid, mx, origin, override, policytype, ptr, reason, reporter, result, selector, sender, spf,"
                        + " spfdomain, spfresult, subject, to, type)"),
                Arguments.of("ip:203.0.113.0/33", "'203.0.113.0/33' is not an IP address or CIDR range (prefix length 0 to 32)"),
                Arguments.of("ip:2001:db8::/129", "'2001:db8::/129' is not an IP address or CIDR range (prefix length 0 to 128)"),
                Arguments.of("ip:example.com", "'example.com' is not an IP address or CIDR range"),
                Arguments.of("ip:[1.2.3.4 TO x.y]", "'x.y' is not an IP address or CIDR range"),
                Arguments.of("ip:203.0.*", "'203.0.': use a CIDR range such as ip:203.0.113.0/24 instead of wildcards in ip:"),
                Arguments.of("date:2024*", "'2024': use a range such as date:[2024-05-01 TO 2024-05-31] instead of wildcards in date:"),
                Arguments.of("date:yesterday", "'yesterday' is not a date: write it as YYYY-MM-DD, e.g. date:2024-05-01"),
                Arguments.of("ip:{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff TO *]", "cannot read the search query: Overflow:"
                        + " there is no greater InetAddress than ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    /** A regular expression that is not one: refused by the store's engine, with its own words. */
    @Test
    void aBrokenRegularExpressionIsAClearMessage() {
        SearchSyntaxException e = assertThrows(SearchSyntaxException.class, () -> store.search("ptr:/[/", 10));
        assertTrue(e.getMessage().startsWith("cannot read the search query: "), e.getMessage());
        assertTrue(!e.getMessage().contains("Exception") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ip:(                      | cannot read the search query",
            "from:\"example.com        | cannot read the search query",
            "sorce:192.0.2.1           | unknown field 'sorce'",
            "ip:203.0.113.0/33         | '203.0.113.0/33' is not an IP address or CIDR range",
            "ip:example.com            | 'example.com' is not an IP address",
            "ip:203.0.*                | use a CIDR range",
            "date:yesterday            | 'yesterday' is not a date",
            "'   '                     | the search query is empty",
    })
    void syntaxErrorsAreClearMessages(String query, String expected) {
        String q = query.equals("'   '") ? "   " : query;
        SearchSyntaxException e = assertThrows(SearchSyntaxException.class, () -> store.search(q, 10));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("Exception") && !e.getMessage().contains("\tat "), e.getMessage());
    }
}
