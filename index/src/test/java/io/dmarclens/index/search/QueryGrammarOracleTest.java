package io.dmarclens.index.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.search.SearchSyntaxException;
import java.util.List;
import java.util.Random;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.Test;

/**
 * The query grammar moved out of Lucene (store module's SearchQueryParser, translated by
 * {@link LuceneQueries}) against the Lucene classic parser it replaced ({@link ClassicQueryParserOracle}):
 * for hand-picked queries and for thousands of random ones built from the syntax's pieces, both must
 * build the same Lucene query (boosts aside: hits are sorted by date) or fail with the same message.
 */
class QueryGrammarOracleTest {
    private final LuceneQueries queries = new LuceneQueries(LuceneQueries.analyzer());

    static final List<String> CHOSEN = List.of(
            "ip:203.0.113.5", "ip:203.0.113.0/24", "ip:2001:db8::/32", "ip:\"2001:db8::66\"", "ip:0.0.0.0/0",
            "ip:[198.51.100.0 TO 198.51.100.255]", "ip:[\"2001:db8::\" TO \"2001:db8::ff\"]", "ip:{1.2.3.4 TO 5.6.7.8]",
            "ip:[* TO *]", "ip:[* TO 2001:db8::1]", "ip:[* TO 0.0.0.0}", "src:192.0.2.66", "ip:1.2.3.4 )",
            "ptr:mail-yw1-f170.google.com", "rdns:*.google.com", "ptr:*\\.com", "ptr:a\\*b", "ptr:/goo.*/",
            "sender:google", "type:\"email provider\"", "asn:AS15169", "asn:\"AS15169\"", "\"AS15169\"", "AS15169",
            "from:example.com -dkim:fail", "class:threat OR class:forwarded", "a OR b c", "a AND b OR c",
            "-a", "NOT a", "a NOT b", "a OR NOT b", "+a -b", "a && b", "a || b", "!a", "(a OR b) AND c",
            "from:(a b)", "date:2024-05-01", "date:[2024-05-02 TO 2024-05-03]", "date:[2024-05-03 TO 2024-05-02]",
            "date:{2024-05-02 TO *]", "date:\"2024-05-01\"", "reporter:\"google inc\"~2", "reporter:google^2",
            "a~", "a~1", "a~0.5", "\"a b\"~2x", "/abc/", "lists.example.org", "invoice", "203.0.113.5",
            "kind:tls", "doc:record", "all:x", "text:\"a b\"", "reporter:[a TO m]", "[a TO b]", "a - b", "a + b",
            "a\\ b", "\\a", "a\\\"b", "ptr:a\\u0041", "reporter:@@@", "reporter:@@@ kind:record", "x^2 y",
            "ip:(", "from:\"example.com", "sorce:192.0.2.1", "ip:203.0.113.0/33", "ip:example.com", "ip:203.0.*",
            "date:yesterday", "(", ")", "a)", "(a", "a AND", "AND a", "a OR", "NOT", "-", "a:", ":a", "[",
            "ip:[1.2.3.4 TO", "date:[2024-01-01 TO x]", "date:*", "date:2024*", "ip:1.2.3.4/x", "ip:1.2.3.4/",
            "ip:::1/129", "a^", "a^x", "a^x b", "a^ b", "a^ ", "/abc", "ip:/1.*/", "date:/2024.*/", "ip:1.2.3.4~",
            "ip:1.2.3.4*", "a:b:c", "a:\"b", "a b \"", "\\", "a\\", "ab\\", "*:*", "*", "a ]", "a ] b", "a }",
            "[a TO b] ] c", "[a TO b c]", "[a b]", "a~1.5", "a~-1", "sorce:x \"abc", "sorce:x b \"abc",
            "a b sorce:x \"abc", "\"ab\ncd", "\"ab\ncd\n", "a \"b\n", "x:\\u00zz", "x\\u00",
            "ip:{ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff TO *]", "ip:[* TO ::}", "ptr:/[/", "\"a b\"~-1",
            "from:example.com AND (class:threat OR)", "ip:abc/24", "ip:1234", "x:a^b", "date:2024-05-01^2");

    @Test
    void chosenQueriesMeanWhatTheyMeant() {
        for (String q : CHOSEN) {
            assertSame(q);
        }
    }

    @Test
    void manyTooManyClausesAsBefore() {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < 1100; i++) {
            q.append('a').append(i).append(' ');
        }
        assertSame(q.toString());
    }

    private static final String[] FIELDS = {"", "", "", "", "ip:", "src:", "date:", "from:", "reporter:", "asn:",
        "ptr:", "kind:", "sender:", "sorce:", "all:", "*:", "a\\:b:", "Subject:"};
    private static final String[] VALUES = {"a", "b", "google", "Google.COM", "example.com", "203.0.113.5",
        "203.0.113.0/24", "2001:db8::/32", "2001:db8::1", "::1", "1.2.3", "2024-05-01", "2024-13-01", "AS15169",
        "*", "*.com", "goo*", "g?o", "a\\*b", "\"a b\"", "\"google inc\"", "\"a", "/re.*/", "/x", "a~", "a~1",
        "a~0.5", "a~1.5", "\"a b\"~2", "[a TO b]", "[2024-05-01 TO 2024-05-02]", "{1.2.3.4 TO 5.6.7.8]",
        "[* TO *]", "[a TO", "[a b]", "x^2", "x^", "x^y", "@@@", "a-b", "a+b", "a!b", "\\u0041", "\\u00g1",
        "a\\", "NOT", "AND", "OR", "TO", "&&", "||", "!", "-", "+", "(", ")", "]", "}", "^", "~", ":", "é",
        "\"\"", "ip", "1.2.3.4/33", "x\ty"};
    private static final String[] JOINS = {" ", " ", " ", " AND ", " OR ", " -", " NOT ", " +", " && ", " || ",
        " (", ") ", " !", "", "  ", "\n"};

    @Test
    void randomQueriesMeanWhatTheyMeant() {
        Random random = new Random(Long.getLong("oracle.seed", 20261205L));
        for (int i = 0; i < Integer.getInteger("oracle.queries", 20_000); i++) {
            StringBuilder q = new StringBuilder();
            int parts = 1 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                if (p > 0) {
                    q.append(JOINS[random.nextInt(JOINS.length)]);
                }
                q.append(FIELDS[random.nextInt(FIELDS.length)]).append(VALUES[random.nextInt(VALUES.length)]);
            }
            if (random.nextInt(8) == 0) {
                q.insert(0, "(").append(random.nextBoolean() ? ")" : "");
            }
            assertSame(q.toString());
        }
    }

    /** A value Lucene refused when building its query (a regular expression that is not one). */
    private static final String BUILD_ERROR = "error cannot read the search query: ";

    private void assertSame(String q) {
        String before;
        Query oldQuery = null;
        try {
            oldQuery = withoutBoosts(new ClassicQueryParserOracle().parseUserQuery(q));
            before = "query " + oldQuery;
        } catch (SearchSyntaxException e) {
            before = "error " + e.getMessage();
        }
        String after;
        Query newQuery = null;
        try {
            newQuery = queries.parse(q);
            after = "query " + newQuery;
        } catch (SearchSyntaxException e) {
            after = "error " + e.getMessage();
        }
        if (before.startsWith(BUILD_ERROR) && after.startsWith("error ")) {
            // Lucene's classic parser built each query as it read it, so an invalid regular expression
            // failed before the rest of the query was read; the stores now build the query after
            // reading all of it, so a later syntax error in the same query is reported instead.
            return;
        }
        assertEquals(before, after, "for <" + q + ">");
        if (oldQuery != null) {
            assertEquals(oldQuery, newQuery, "for <" + q + ">");
        }
        assertTrue(!after.contains("Exception"), after);
    }

    private static Query withoutBoosts(Query q) {
        if (q instanceof BoostQuery b) {
            return withoutBoosts(b.getQuery());
        }
        if (q instanceof BooleanQuery bq) {
            BooleanQuery.Builder out = new BooleanQuery.Builder();
            for (BooleanClause c : bq.clauses()) {
                out.add(withoutBoosts(c.getQuery()), c.getOccur());
            }
            return out.build();
        }
        return q;
    }
}
