package io.dmarclens.index.search;

import io.dmarclens.store.search.IpLiterals;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchSyntaxException;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * The embedded store's query parser before the grammar moved to the store module
 * (io.dmarclens.store.search.SearchQueryParser), kept as the oracle that the new parser and
 * {@link LuceneQueries} must agree with, message for message and query for query (QueryGrammarOracleTest).
 * Lucene's classic query syntax with the field names of {@link SearchFields}: aliases map to fields,
 * {@code ip:} values become InetAddressPoint queries (an address, a CIDR range such as
 * {@code 203.0.113.0/24} or {@code 2001:db8::/32}, or {@code [a TO b]}), {@code date:} takes ISO days
 * ({@code date:2024-05-01}, {@code date:[2024-05-01 TO 2024-05-31]}), {@code asn:} accepts {@code AS15169}.
 * Terms without a field search every value. Terms are joined with AND unless OR is written.
 * Not thread-safe: make one per query.
 */
final class ClassicQueryParserOracle extends QueryParser {
    /** {@code ip:VALUE} with an address-like value, quoted before parsing so that ':' and '/' survive. */
    private static final Pattern IP_VALUE = Pattern.compile(
            "(?i)(?<![\\w.])((?:ip|source|sourceip|source_ip|src):)([0-9a-f:.]*[:.][0-9a-f:.]*(?:/\\d{1,3})?)(?=$|[\\s)])");

    ClassicQueryParserOracle() {
        super(SearchFields.ALL, LuceneQueries.analyzer());
        setDefaultOperator(Operator.AND);
        setAllowLeadingWildcard(true);
        setSplitOnWhitespace(true);
    }

    /**
     * Parses a user's query.
     *
     * @throws SearchSyntaxException with a readable message when the query cannot be read
     */
    Query parseUserQuery(String query) throws SearchSyntaxException {
        if (query == null || query.isBlank()) {
            throw new SearchSyntaxException(query, "the search query is empty");
        }
        Matcher m = IP_VALUE.matcher(query);
        String prepared = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"" + r.group(2) + "\""));
        try {
            return parse(prepared);
        } catch (ParseException e) {
            throw new SearchSyntaxException(query, readable(query, e));
        } catch (IndexSearcher.TooManyClauses e) {
            throw new SearchSyntaxException(query, "the search query expands to too many terms: make wildcards more specific");
        } catch (RuntimeException e) {
            throw new SearchSyntaxException(query, "cannot read the search query: " + e.getMessage());
        }
    }

    private static String readable(String query, ParseException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UserError u) {
                return u.getMessage();
            }
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        int expecting = msg.indexOf("Was expecting");
        if (expecting > 0) {
            msg = msg.substring(0, expecting).strip();
        }
        msg = msg.replace("Cannot parse '" + query + "': ", "");
        if (msg.startsWith("Cannot parse '")) {
            int end = msg.indexOf("': ");
            if (end > 0) {
                msg = msg.substring(end + 3);
            }
        }
        return "cannot read the search query '" + query + "': " + msg.replace('\n', ' ').strip()
                + " (check quotes, brackets and a value after each field name)";
    }

    private static String canonical(String field) throws ParseException {
        java.util.Optional<SearchField> f = SearchField.byName(field);
        if (f.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            for (SearchField each : SearchField.values()) {
                names.add(each.fieldName());
            }
            throw userError("unknown field '" + field + "' (known fields: " + String.join(", ", names) + ")");
        }
        return f.get().fieldName();
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
        String f = canonical(field);
        switch (f) {
            case SearchFields.ALL:
                return everywhere(queryText, t -> super.getFieldQuery(t, queryText, quoted), true);
            case SearchFields.IP:
                return ipQuery(queryText);
            case SearchFields.DATE:
                return dateRange(queryText, queryText);
            case SearchFields.ASN:
                return super.getFieldQuery(f, stripAs(queryText), quoted);
            default:
                return super.getFieldQuery(f, queryText, quoted);
        }
    }

    /** A term without a field: any field may match it (and ip: when it is an address). */
    private Query everywhere(String text, FieldQuery perField, boolean withIp) throws ParseException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int clauses = 0;
        for (SearchField field : SearchField.freeText()) {
            Query q = perField.build(field.fieldName());
            if (q != null) {
                any.add(q, BooleanClause.Occur.SHOULD);
                clauses++;
            }
        }
        if (withIp && IpLiterals.parse(text) != null) {
            any.add(InetAddressPoint.newExactQuery(SearchFields.IP, IpLiterals.parse(text)), BooleanClause.Occur.SHOULD);
            clauses++;
        }
        return clauses == 0 ? null : any.build();
    }

    @FunctionalInterface
    private interface FieldQuery {
        Query build(String field) throws ParseException;
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
        String f = canonical(field);
        if (SearchFields.ALL.equals(f)) {
            return everywhere(queryText, t -> super.getFieldQuery(t, queryText, slop), false);
        }
        if (SearchFields.IP.equals(f) || SearchFields.DATE.equals(f)) {
            return getFieldQuery(field, queryText, true);
        }
        return super.getFieldQuery(f, queryText, slop);
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
                                  boolean endInclusive) throws ParseException {
        String f = canonical(field);
        if (SearchFields.IP.equals(f)) {
            InetAddress lower = part1 == null ? null : address(part1);
            InetAddress upper = part2 == null ? null : address(part2);
            if (lower == null) {
                lower = upper instanceof java.net.Inet6Address ? InetAddressPoint.MIN_VALUE : address("0.0.0.0");
            }
            if (upper == null) {
                upper = lower instanceof java.net.Inet6Address ? InetAddressPoint.MAX_VALUE : address("255.255.255.255");
            }
            if (!startInclusive) {
                lower = InetAddressPoint.nextUp(lower);
            }
            if (!endInclusive) {
                upper = InetAddressPoint.nextDown(upper);
            }
            return InetAddressPoint.newRangeQuery(f, lower, upper);
        }
        if (SearchFields.DATE.equals(f)) {
            return dateRange(part1, part2);
        }
        return super.getRangeQuery(f, part1, part2, startInclusive, endInclusive);
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
        String f = plainField(field, termStr);
        return SearchFields.ALL.equals(f) ? everywhere(termStr, t -> super.getWildcardQuery(t, termStr), false)
                : super.getWildcardQuery(f, termStr);
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
        String f = plainField(field, termStr);
        return SearchFields.ALL.equals(f) ? everywhere(termStr, t -> super.getPrefixQuery(t, termStr), false)
                : super.getPrefixQuery(f, termStr);
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
        String f = plainField(field, termStr);
        return SearchFields.ALL.equals(f) ? everywhere(termStr, t -> super.getFuzzyQuery(t, termStr, minSimilarity), false)
                : super.getFuzzyQuery(f, termStr, minSimilarity);
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
        String f = plainField(field, termStr);
        return SearchFields.ALL.equals(f) ? everywhere(termStr, t -> super.getRegexpQuery(t, termStr), false)
                : super.getRegexpQuery(f, termStr);
    }

    /** Fields that only take exact values or ranges reject wildcards with a hint. */
    private static String plainField(String field, String term) throws ParseException {
        String f = canonical(field);
        if (SearchFields.IP.equals(f)) {
            throw userError("'" + term + "': use a CIDR range such as ip:203.0.113.0/24 instead of wildcards in ip:");
        }
        if (SearchFields.DATE.equals(f)) {
            throw userError("'" + term + "': use a range such as date:[2024-05-01 TO 2024-05-31] instead of wildcards in date:");
        }
        return f;
    }

    private static Query ipQuery(String text) throws ParseException {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            InetAddress base = address(t.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw userError("'" + t + "' is not an IP address or CIDR range");
            }
            int max = base.getAddress().length * 8;
            if (bits < 0 || bits > max) {
                throw userError("'" + t + "' is not an IP address or CIDR range (prefix length 0 to " + max + ")");
            }
            return InetAddressPoint.newPrefixQuery(SearchFields.IP, base, bits);
        }
        return InetAddressPoint.newExactQuery(SearchFields.IP, address(t));
    }

    private static InetAddress address(String text) throws ParseException {
        InetAddress a = IpLiterals.parse(text);
        if (a == null) {
            throw userError("'" + text + "' is not an IP address or CIDR range");
        }
        return a;
    }

    private static Query dateRange(String from, String to) throws ParseException {
        long lower = from == null || "*".equals(from) ? Long.MIN_VALUE : day(from) * 86_400;
        long upper = to == null || "*".equals(to) ? Long.MAX_VALUE : (day(to) + 1) * 86_400 - 1;
        if (upper < lower) {
            return new MatchNoDocsQuery("date range ends before it begins");
        }
        return LongPoint.newRangeQuery(SearchFields.DATE, lower, upper);
    }

    private static long day(String text) throws ParseException {
        try {
            return LocalDate.parse(text.strip()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw userError("'" + text + "' is not a date: write it as YYYY-MM-DD, e.g. date:2024-05-01");
        }
    }

    private static String stripAs(String text) {
        String t = text.strip();
        return t.regionMatches(true, 0, "AS", 0, 2) ? t.substring(2) : t;
    }

    private static ParseException userError(String message) {
        ParseException e = new ParseException(message);
        e.initCause(new UserError(message));
        return e;
    }

    /** Marks a ParseException whose message is already meant for the user. */
    private static final class UserError extends RuntimeException {
        UserError(String message) {
            super(message, null, false, false);
        }
    }
}
