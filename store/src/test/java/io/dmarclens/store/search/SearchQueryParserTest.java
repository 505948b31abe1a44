package io.dmarclens.store.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.search.SearchQuery.AddressPrefix;
import io.dmarclens.store.search.SearchQuery.AddressRange;
import io.dmarclens.store.search.SearchQuery.AnyOf;
import io.dmarclens.store.search.SearchQuery.Bool;
import io.dmarclens.store.search.SearchQuery.Conjunction;
import io.dmarclens.store.search.SearchQuery.DateRange;
import io.dmarclens.store.search.SearchQuery.MatchNone;
import io.dmarclens.store.search.SearchQuery.Modifier;
import io.dmarclens.store.search.SearchQuery.Occur;
import io.dmarclens.store.search.SearchQuery.Phrase;
import io.dmarclens.store.search.SearchQuery.Prefix;
import io.dmarclens.store.search.SearchQuery.Term;
import io.dmarclens.store.search.SearchQuery.TermRange;
import io.dmarclens.store.search.SearchQuery.Wildcard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The query grammar: what each piece of the syntax becomes, and every error message, word for word, as
 * the embedded store's Lucene classic parser gave it (syntax-errors.tsv; the index module's
 * QueryGrammarOracleTest also compares both parsers on thousands of random queries).
 */
class SearchQueryParserTest {

    @Test
    void everySyntaxErrorHasTheMessageItHadBefore() throws IOException {
        List<String[]> golden = golden();
        assertTrue(golden.size() > 50, "golden cases: " + golden.size());
        for (String[] c : golden) {
            SearchSyntaxException e = assertThrows(SearchSyntaxException.class, () -> SearchQueryParser.parse(c[0]),
                    () -> "<" + c[0] + "> was read");
            assertEquals(c[1], e.getMessage(), "for <" + c[0] + ">");
            assertEquals(c[0], e.query());
        }
    }

    @Test
    void blankAndTooLongQueries() {
        for (String q : new String[] {"", "   ", "\t\n"}) {
            assertEquals("the search query is empty",
                    assertThrows(SearchSyntaxException.class, () -> SearchQueryParser.parse(q)).getMessage());
        }
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < 1025; i++) {
            q.append('a').append(i).append(' ');
        }
        assertEquals("cannot read the search query '" + q + "': too many boolean clauses"
                        + " (check quotes, brackets and a value after each field name)",
                assertThrows(SearchSyntaxException.class, () -> SearchQueryParser.parse(q.toString())).getMessage());
    }

    @Test
    void fieldsAndAliases() throws Exception {
        for (SearchField f : SearchField.values()) {
            for (String name : f.names()) {
                if (f == SearchField.IP) {
                    continue; // an address field: addressesCidrAndRanges
                }
                SearchQuery q = SearchQueryParser.parse(name.toUpperCase(java.util.Locale.ROOT) + ":\"2024-05-01\"");
                switch (f) {
                    case DATE -> assertInstanceOf(DateRange.class, q);
                    case ALL -> assertInstanceOf(AnyOf.class, q);
                    default -> assertEquals(new Phrase(f, "2024-05-01", 0), q, name);
                }
            }
        }
        assertEquals(new Term(SearchField.ASN, "15169"), SearchQueryParser.parse("as:AS15169"));
        assertEquals(new Term(SearchField.FROM, "Example.COM"), SearchQueryParser.parse("header_from:Example.COM"));
        assertEquals(new Phrase(SearchField.SENDER, "amazon ses", 0), SearchQueryParser.parse("service:\"amazon ses\""));
        assertEquals(new Phrase(SearchField.REPORTER, "google inc", 2), SearchQueryParser.parse("reporter:\"google inc\"~2^3"));
    }

    @Test
    void addressesCidrAndRanges() throws Exception {
        assertEquals(new AddressPrefix(InetAddress.getByName("203.0.113.5"), 32), SearchQueryParser.parse("ip:203.0.113.5"));
        assertEquals(new AddressPrefix(InetAddress.getByName("203.0.113.0"), 24), SearchQueryParser.parse("src:203.0.113.0/24"));
        assertEquals(new AddressPrefix(InetAddress.getByName("2001:db8::"), 32), SearchQueryParser.parse("ip:2001:db8::/32"));
        assertEquals(new AddressPrefix(InetAddress.getByName("2001:db8::66"), 128), SearchQueryParser.parse("source:\"2001:db8::66\""));
        assertEquals(new AddressRange(InetAddress.getByName("198.51.100.0"), InetAddress.getByName("198.51.100.255")),
                SearchQueryParser.parse("ip:[198.51.100.0 TO 198.51.100.255]"));
        // Exclusive ends step to the next address; open ends take the family's first or last address.
        assertEquals(new AddressRange(InetAddress.getByName("1.2.3.5"), InetAddress.getByName("5.6.7.7")),
                SearchQueryParser.parse("ip:{1.2.3.4 TO 5.6.7.8}"));
        assertEquals(new AddressRange(InetAddress.getByName("::"), InetAddress.getByName("2001:db8::1")),
                SearchQueryParser.parse("ip:[* TO \"2001:db8::1\"]"));
        assertEquals(new AddressRange(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("255.255.255.255")),
                SearchQueryParser.parse("ip:[* TO *]"));
        assertThrows(SearchSyntaxException.class, () -> SearchQueryParser.parse("ip:\"2024-05-01\""));
    }

    @Test
    void daysAreUtcRanges() throws Exception {
        long may1 = LocalDate.of(2024, 5, 1).toEpochDay() * 86_400;
        assertEquals(new DateRange(may1, may1 + 86_399), SearchQueryParser.parse("day:2024-05-01"));
        assertEquals(new DateRange(may1, may1 + 31 * 86_400 - 1), SearchQueryParser.parse("date:[2024-05-01 TO 2024-05-31]"));
        assertEquals(new DateRange(may1, Long.MAX_VALUE), SearchQueryParser.parse("date:[2024-05-01 TO *]"));
        assertInstanceOf(MatchNone.class, SearchQueryParser.parse("date:[2024-05-02 TO 2024-05-01]"));
    }

    @Test
    void wildcardsPrefixesAndRanges() throws Exception {
        assertEquals(new Wildcard(SearchField.PTR, "*.google.com"), SearchQueryParser.parse("rdns:*.google.com"));
        assertEquals(new Wildcard(SearchField.PTR, "*\\.com"), SearchQueryParser.parse("ptr:*\\.com"));
        assertEquals(new Prefix(SearchField.PTR, "mail-"), SearchQueryParser.parse("ptr:mail-*"));
        assertEquals(new TermRange(SearchField.DOMAIN, "a", null, true, false), SearchQueryParser.parse("domain:[a TO *}"));
        AnyOf any = (AnyOf) SearchQueryParser.parse("goo*");
        assertEquals(SearchField.freeText().size(), any.queries().size());
        assertEquals(new Prefix(SearchField.PTR, "goo"), any.queries().get(0));
    }

    @Test
    void valueWithoutFieldIsLookedForEverywhereAndAsAnAddress() throws Exception {
        AnyOf word = (AnyOf) SearchQueryParser.parse("invoice");
        assertEquals(SearchField.freeText().size(), word.queries().size());
        AnyOf address = (AnyOf) SearchQueryParser.parse("203.0.113.5");
        assertEquals(new AddressPrefix(InetAddress.getByName("203.0.113.5"), 32),
                address.queries().get(address.queries().size() - 1));
        AnyOf asn = (AnyOf) SearchQueryParser.parse("\"AS15169\"");
        assertTrue(asn.queries().contains(new Phrase(SearchField.ASN, "15169", 0)));
        assertTrue(asn.queries().contains(new Phrase(SearchField.PTR, "AS15169", 0)));
    }

    @Test
    void booleanLogicFollowsLuceneRules() throws Exception {
        Bool q = (Bool) SearchQueryParser.parse("from:example.com -dkim:fail");
        assertEquals(List.of(Occur.MUST, Occur.MUST_NOT), q.occurs(List.of(true, true)));
        Bool or = (Bool) SearchQueryParser.parse("class:threat OR class:forwarded");
        assertEquals(List.of(Occur.SHOULD, Occur.SHOULD), or.occurs(List.of(true, true)));
        Bool mixed = (Bool) SearchQueryParser.parse("a OR b c");
        assertEquals(List.of(Occur.SHOULD, Occur.SHOULD, Occur.MUST), mixed.occurs(List.of(true, true, true)));
        Bool and = (Bool) SearchQueryParser.parse("a b AND c");
        assertEquals(List.of(Occur.MUST, Occur.MUST, Occur.MUST), and.occurs(List.of(true, true, true)));
        Bool not = (Bool) SearchQueryParser.parse("NOT a");
        assertEquals(Modifier.NOT, not.clauses().get(0).modifier());
        assertEquals(List.of(Occur.MUST_NOT), not.occurs(List.of(true)));
        Bool amp = (Bool) SearchQueryParser.parse("a && !b || c");
        assertEquals(List.of(Conjunction.NONE, Conjunction.AND, Conjunction.OR),
                amp.clauses().stream().map(SearchQuery.Clause::conjunction).toList());
        // A clause that drops out still makes its conjunction count for the clause before it.
        assertEquals(Occur.SHOULD, mixed.occurs(List.of(true, false, true)).get(0));
        assertTrue(((Bool) SearchQueryParser.parse("kind:tls -a")).standsForFirst(List.of(true, false)));
        assertEquals(new Term(SearchField.KIND, "tls"), SearchQueryParser.parse("kind:tls"));
        assertTrue(!not.standsForFirst(List.of(true)));
        Bool group = (Bool) SearchQueryParser.parse("from:(a OR b) kind:record");
        Bool inner = (Bool) group.clauses().get(0).query();
        assertEquals(new Term(SearchField.FROM, "a"), inner.clauses().get(0).query());
    }

    private static List<String[]> golden() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = SearchQueryParserTest.class.getResourceAsStream("syntax-errors.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                out.add(new String[] {unescape(line.substring(0, tab)), unescape(line.substring(tab + 1))});
            }
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
