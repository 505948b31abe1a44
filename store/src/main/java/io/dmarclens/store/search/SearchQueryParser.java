package io.dmarclens.store.search;

import io.dmarclens.store.search.QueryLexer.LexicalError;
import io.dmarclens.store.search.QueryLexer.Token;
import io.dmarclens.store.search.SearchQuery.AddressPrefix;
import io.dmarclens.store.search.SearchQuery.AddressRange;
import io.dmarclens.store.search.SearchQuery.Bool;
import io.dmarclens.store.search.SearchQuery.Clause;
import io.dmarclens.store.search.SearchQuery.DateRange;
import io.dmarclens.store.search.SearchQuery.Fuzzy;
import io.dmarclens.store.search.SearchQuery.MatchNone;
import io.dmarclens.store.search.SearchQuery.Modifier;
import io.dmarclens.store.search.SearchQuery.Conjunction;
import io.dmarclens.store.search.SearchQuery.AnyOf;
import io.dmarclens.store.search.SearchQuery.Phrase;
import io.dmarclens.store.search.SearchQuery.Prefix;
import io.dmarclens.store.search.SearchQuery.Regexp;
import io.dmarclens.store.search.SearchQuery.Term;
import io.dmarclens.store.search.SearchQuery.TermRange;
import io.dmarclens.store.search.SearchQuery.Wildcard;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the search syntax of docs/search.md into a {@link SearchQuery}: Lucene's classic query syntax
 * (terms joined with AND unless OR is written, {@code -term} and {@code NOT term}, parentheses,
 * {@code "phrases"}, {@code *} and {@code ?} wildcards also at the start, {@code [a TO b]} ranges), with
 * the field names of {@link SearchField}. {@code ip:} takes an address, a CIDR block or a range;
 * {@code date:} ISO days; {@code asn:} also {@code AS15169}; a value without a field is looked for in
 * every field. A hand-written recursive-descent parser that follows the JavaCC grammar Lucene's parser is
 * generated from, so that queries mean what they meant before the grammar moved out of the Lucene store,
 * and every error has the message it had then.
 */
public final class SearchQueryParser {
    /** {@code ip:VALUE} with an address-like value, quoted before parsing so that ':' and '/' survive. */
    private static final Pattern IP_VALUE = Pattern.compile(
            "(?i)(?<![\\w.])((?:ip|source|sourceip|source_ip|src):)([0-9a-f:.]*[:.][0-9a-f:.]*(?:/\\d{1,3})?)(?=$|[\\s)])");
    /** Lucene's limit of clauses in one boolean query (OpenSearch's default limit too). */
    static final int MAX_CLAUSES = 1024;
    /** The message when a query is too big to run (its wildcards or words expand to too many terms). */
    public static final String TOO_MANY_TERMS = "the search query expands to too many terms: make wildcards more specific";

    private static final Set<Integer> DISALLOWED_AFTER_MULTI_TERM = Set.of(QueryLexer.COLON, QueryLexer.STAR,
            QueryLexer.FUZZY_SLOP, QueryLexer.CARAT, QueryLexer.AND, QueryLexer.OR);
    private static final Set<Integer> CLAUSE_START = Set.of(QueryLexer.AND, QueryLexer.OR, QueryLexer.NOT,
            QueryLexer.PLUS, QueryLexer.MINUS, QueryLexer.BAREOPER, QueryLexer.LPAREN, QueryLexer.STAR,
            QueryLexer.QUOTED, QueryLexer.TERM, QueryLexer.PREFIXTERM, QueryLexer.WILDTERM, QueryLexer.REGEXPTERM,
            QueryLexer.RANGEIN_START, QueryLexer.RANGEEX_START, QueryLexer.NUMBER);
    private static final Set<Integer> BARE_TERM = Set.of(QueryLexer.TERM, QueryLexer.STAR, QueryLexer.PREFIXTERM,
            QueryLexer.WILDTERM, QueryLexer.REGEXPTERM, QueryLexer.NUMBER, QueryLexer.BAREOPER);
    private static final Set<Integer> RANGE_VALUE = Set.of(QueryLexer.RANGE_GOOP, QueryLexer.RANGE_QUOTED,
            QueryLexer.RANGE_TO);

    private final QueryLexer lexer;
    private int next;

    private SearchQueryParser(String prepared) {
        this.lexer = new QueryLexer(prepared);
    }

    /**
     * Parses a user's query.
     *
     * @throws SearchSyntaxException with a message saying what is wrong when the query cannot be read
     */
    public static SearchQuery parse(String query) throws SearchSyntaxException {
        if (query == null || query.isBlank()) {
            throw new SearchSyntaxException(query, "the search query is empty");
        }
        Matcher m = IP_VALUE.matcher(query);
        String prepared = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "\"" + r.group(2) + "\""));
        try {
            SearchQuery q = new SearchQueryParser(prepared).topLevel();
            return q;
        } catch (UserError e) {
            throw new SearchSyntaxException(query, e.getMessage());
        } catch (SyntaxError e) {
            throw new SearchSyntaxException(query, readable(query, "Cannot parse '" + prepared + "': " + e.getMessage()));
        } catch (LexicalError e) {
            throw new SearchSyntaxException(query, readable(query, "Cannot parse '" + prepared + "': " + e.getMessage()));
        }
    }

    /** The message Lucene's ParseException made readable, as the embedded store always did. */
    private static String readable(String query, String message) {
        String msg = message;
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

    // ---- the grammar (QueryParser.jj: TopLevelQuery, Query, MultiTerm, Clause, Term) ----

    private Token peek(int ahead) throws LexicalError {
        return lexer.token(next + ahead - 1);
    }

    private Token consume(int kind) throws LexicalError, SyntaxError {
        Token t = peek(1);
        if (t.kind() != kind) {
            throw unexpected(t);
        }
        next++;
        return t;
    }

    private static SyntaxError unexpected(Token t) {
        return new SyntaxError(QueryLexer.encountered(t) + "\nWas expecting one of:\n    ...\n");
    }

    private SearchQuery topLevel() throws LexicalError, SyntaxError, UserError {
        SearchQuery q = query(SearchField.ALL.fieldName());
        consume(QueryLexer.EOF);
        return q;
    }

    private boolean multiTermAhead() throws LexicalError {
        return peek(1).kind() == QueryLexer.TERM && peek(2).kind() == QueryLexer.TERM
                && !DISALLOWED_AFTER_MULTI_TERM.contains(peek(3).kind());
    }

    private SearchQuery query(String field) throws LexicalError, SyntaxError, UserError {
        List<Clause> clauses = new ArrayList<>();
        if (multiTermAhead()) {
            multiTerm(field, clauses);
        } else {
            Modifier mods = modifiers();
            clauses.add(new Clause(Conjunction.NONE, mods, clause(field)));
        }
        while (multiTermAhead() || CLAUSE_START.contains(peek(1).kind())) {
            if (multiTermAhead()) {
                multiTerm(field, clauses);
            } else {
                Conjunction conj = conjunction();
                Modifier mods = modifiers();
                clauses.add(new Clause(conj, mods, clause(field)));
            }
        }
        if (clauses.size() > MAX_CLAUSES) {
            throw new SyntaxError("too many boolean clauses"); // Lucene's limit, met while parsing
        }
        if (clauses.size() == 1 && clauses.get(0).modifier() == Modifier.NONE) {
            return clauses.get(0).query(); // what Lucene did too: a group of one is that one
        }
        return new Bool(clauses);
    }

    private void multiTerm(String field, List<Clause> clauses) throws LexicalError, SyntaxError, UserError {
        Token text = consume(QueryLexer.TERM);
        clauses.add(new Clause(Conjunction.NONE, Modifier.NONE, termQuery(field, discardEscapeChar(text.image()))));
        do {
            Token following = consume(QueryLexer.TERM);
            clauses.add(new Clause(Conjunction.NONE, Modifier.NONE,
                    termQuery(field, discardEscapeChar(following.image()))));
        } while (peek(1).kind() == QueryLexer.TERM && !DISALLOWED_AFTER_MULTI_TERM.contains(peek(2).kind()));
    }

    private Conjunction conjunction() throws LexicalError {
        int kind = peek(1).kind();
        if (kind == QueryLexer.AND || kind == QueryLexer.OR) {
            next++;
            return kind == QueryLexer.AND ? Conjunction.AND : Conjunction.OR;
        }
        return Conjunction.NONE;
    }

    private Modifier modifiers() throws LexicalError {
        int kind = peek(1).kind();
        if (kind == QueryLexer.PLUS) {
            next++;
            return Modifier.REQUIRED;
        }
        if (kind == QueryLexer.MINUS || kind == QueryLexer.NOT) {
            next++;
            return Modifier.NOT;
        }
        return Modifier.NONE;
    }

    private SearchQuery clause(String field) throws LexicalError, SyntaxError, UserError {
        String f = field;
        if (peek(1).kind() == QueryLexer.TERM && peek(2).kind() == QueryLexer.COLON) {
            Token name = consume(QueryLexer.TERM);
            consume(QueryLexer.COLON);
            f = discardEscapeChar(name.image());
        } else if (peek(1).kind() == QueryLexer.STAR && peek(2).kind() == QueryLexer.COLON) {
            consume(QueryLexer.STAR);
            consume(QueryLexer.COLON);
            f = "*";
        }
        int kind = peek(1).kind();
        if (kind == QueryLexer.LPAREN) {
            consume(QueryLexer.LPAREN);
            SearchQuery q = query(f);
            consume(QueryLexer.RPAREN);
            skipBoost();
            return q;
        }
        if (BARE_TERM.contains(kind) || kind == QueryLexer.QUOTED || kind == QueryLexer.RANGEIN_START
                || kind == QueryLexer.RANGEEX_START) {
            return term(f);
        }
        throw unexpected(peek(1));
    }

    /** {@code ^2}: a boost changes scores only, and hits are sorted by date, so it is read and dropped. */
    private void skipBoost() throws LexicalError, SyntaxError {
        if (peek(1).kind() == QueryLexer.CARAT) {
            consume(QueryLexer.CARAT);
            consume(QueryLexer.NUMBER);
        }
    }

    /** {@code ^boost} and {@code ~slop} after a term or phrase, in either order; returns the slop token. */
    private Token suffixes() throws LexicalError, SyntaxError {
        Token slop = null;
        if (peek(1).kind() == QueryLexer.CARAT) {
            skipBoost();
            if (peek(1).kind() == QueryLexer.FUZZY_SLOP) {
                slop = consume(QueryLexer.FUZZY_SLOP);
            }
        } else if (peek(1).kind() == QueryLexer.FUZZY_SLOP) {
            slop = consume(QueryLexer.FUZZY_SLOP);
            skipBoost();
        }
        return slop;
    }

    private SearchQuery term(String field) throws LexicalError, SyntaxError, UserError {
        Token t = peek(1);
        int kind = t.kind();
        if (BARE_TERM.contains(kind)) {
            next++;
            String image = kind == QueryLexer.BAREOPER ? t.image().substring(0, 1) : t.image();
            Token fuzzySlop = suffixes();
            String termImage = discardEscapeChar(image);
            if (kind == QueryLexer.STAR || kind == QueryLexer.WILDTERM) {
                return wildcardQuery(field, image);
            }
            if (kind == QueryLexer.PREFIXTERM) {
                return prefixQuery(field, discardEscapeChar(image.substring(0, image.length() - 1)));
            }
            if (kind == QueryLexer.REGEXPTERM) {
                return regexpQuery(field, image.substring(1, image.length() - 1));
            }
            if (fuzzySlop != null) {
                return bareFuzzy(field, fuzzySlop, termImage);
            }
            return termQuery(field, termImage);
        }
        if (kind == QueryLexer.RANGEIN_START || kind == QueryLexer.RANGEEX_START) {
            next++;
            boolean startInclusive = kind == QueryLexer.RANGEIN_START;
            Token lower = rangeValue();
            consume(QueryLexer.RANGE_TO);
            Token upper = rangeValue();
            Token end = peek(1);
            if (end.kind() != QueryLexer.RANGEIN_END && end.kind() != QueryLexer.RANGEEX_END) {
                throw unexpected(end);
            }
            next++;
            boolean endInclusive = end.kind() == QueryLexer.RANGEIN_END;
            skipBoost();
            String part1 = rangePart(lower);
            String part2 = rangePart(upper);
            return rangeQuery(field, part1, part2, startInclusive, endInclusive);
        }
        if (kind == QueryLexer.QUOTED) {
            next++;
            Token fuzzySlop = suffixes();
            int slop = 0;
            if (fuzzySlop != null) {
                try {
                    slop = (int) Float.parseFloat(fuzzySlop.image().substring(1));
                } catch (NumberFormatException ignored) {
                    // Lucene keeps the default slop when the number cannot be read.
                }
            }
            return phraseQuery(field, discardEscapeChar(t.image().substring(1, t.image().length() - 1)), slop);
        }
        throw unexpected(t);
    }

    private Token rangeValue() throws LexicalError, SyntaxError {
        Token t = peek(1);
        if (!RANGE_VALUE.contains(t.kind())) {
            throw unexpected(t);
        }
        next++;
        return t;
    }

    /** A range end as Lucene hands it on: quotes removed, escapes resolved, {@code *} open (null). */
    private static String rangePart(Token t) throws SyntaxError {
        if (t.kind() == QueryLexer.RANGE_QUOTED) {
            return discardEscapeChar(t.image().substring(1, t.image().length() - 1));
        }
        return "*".equals(t.image()) ? null : discardEscapeChar(t.image());
    }

    // ---- what each kind of term means (QueryParserBase and the field rules of docs/search.md) ----

    private static SearchField canonical(String field) throws UserError {
        return SearchField.byName(field).orElseThrow(() -> new UserError("unknown field '" + field
                + "' (known fields: " + String.join(", ", SearchField.canonicalNames()) + ")"));
    }

    /** An unquoted value. */
    private static SearchQuery termQuery(String field, String text) throws UserError {
        SearchField f = canonical(field);
        switch (f) {
            case ALL: {
                List<SearchQuery> any = new ArrayList<>();
                for (SearchField t : SearchField.freeText()) {
                    any.add(new Term(t, text));
                }
                InetAddress address = IpLiterals.parse(text);
                if (address != null) {
                    any.add(new AddressPrefix(address, address.getAddress().length * 8));
                }
                return new AnyOf(any);
            }
            case IP:
                return ipQuery(text);
            case DATE:
                return dateRange(text, text);
            case ASN:
                return new Term(f, stripAs(text));
            default:
                return new Term(f, text);
        }
    }

    /** A quoted value. */
    private static SearchQuery phraseQuery(String field, String text, int slop) throws UserError {
        SearchField f = canonical(field);
        switch (f) {
            case ALL:
                return everywhere(t -> new Phrase(t, t == SearchField.ASN ? stripAs(text) : text, slop));
            case IP:
                return ipQuery(text);
            case DATE:
                return dateRange(text, text);
            case ASN:
                return new Phrase(f, stripAs(text), slop);
            default:
                return new Phrase(f, text, slop);
        }
    }

    private static AnyOf everywhere(Function<SearchField, SearchQuery> perField) {
        List<SearchQuery> any = new ArrayList<>();
        for (SearchField t : SearchField.freeText()) {
            any.add(perField.apply(t));
        }
        return new AnyOf(any);
    }

    private static SearchQuery wildcardQuery(String field, String pattern) throws UserError {
        SearchField f = plainField(field, pattern);
        return f == SearchField.ALL ? everywhere(t -> new Wildcard(t, pattern)) : new Wildcard(f, pattern);
    }

    private static SearchQuery prefixQuery(String field, String prefix) throws UserError {
        SearchField f = plainField(field, prefix);
        return f == SearchField.ALL ? everywhere(t -> new Prefix(t, prefix)) : new Prefix(f, prefix);
    }

    private static SearchQuery regexpQuery(String field, String pattern) throws UserError {
        SearchField f = plainField(field, pattern);
        return f == SearchField.ALL ? everywhere(t -> new Regexp(t, pattern)) : new Regexp(f, pattern);
    }

    private static SearchQuery bareFuzzy(String field, Token fuzzySlop, String text) throws SyntaxError, UserError {
        float similarity = 2f;
        try {
            similarity = Float.parseFloat(fuzzySlop.image().substring(1));
        } catch (NumberFormatException ignored) {
            // "~" alone or "~abc": the default of two edits, as in Lucene.
        }
        if (similarity < 0.0f) {
            throw new SyntaxError("Minimum similarity for a FuzzyQuery has to be between 0.0f and 1.0f !");
        } else if (similarity >= 1.0f && similarity != (int) similarity) {
            throw new SyntaxError("Fractional edit distances are not allowed!");
        }
        SearchField f = plainField(field, text);
        int edits = edits(similarity, text.toLowerCase(Locale.ROOT).codePointCount(0, text.length()));
        return f == SearchField.ALL ? everywhere(t -> new Fuzzy(t, text, edits)) : new Fuzzy(f, text, edits);
    }

    /** Lucene's FuzzyQuery.floatToEdits: 1 and more are edits (at most 2), below 1 a similarity. */
    private static int edits(float similarity, int length) {
        if (similarity >= 1f) {
            return (int) Math.min(similarity, 2);
        } else if (similarity == 0.0f) {
            return 0;
        }
        return Math.min((int) ((1D - similarity) * length), 2);
    }

    private static SearchQuery rangeQuery(String field, String part1, String part2, boolean startInclusive,
                                          boolean endInclusive) throws UserError {
        SearchField f = canonical(field);
        if (f == SearchField.IP) {
            InetAddress lower = part1 == null ? null : address(part1);
            InetAddress upper = part2 == null ? null : address(part2);
            if (lower == null) {
                lower = upper instanceof Inet6Address ? Addresses.MIN_VALUE : Addresses.parseLiteral("0.0.0.0");
            }
            if (upper == null) {
                upper = lower instanceof Inet6Address ? Addresses.MAX_VALUE : Addresses.parseLiteral("255.255.255.255");
            }
            try {
                if (!startInclusive) {
                    lower = Addresses.nextUp(lower);
                }
                if (!endInclusive) {
                    upper = Addresses.nextDown(upper);
                }
            } catch (ArithmeticException e) {
                throw new UserError("cannot read the search query: " + e.getMessage());
            }
            return new AddressRange(lower, upper);
        }
        if (f == SearchField.DATE) {
            return dateRange(part1, part2);
        }
        return new TermRange(f, part1, part2, startInclusive, endInclusive);
    }

    /** Fields that only take exact values or ranges reject wildcards with a hint. */
    private static SearchField plainField(String field, String term) throws UserError {
        SearchField f = canonical(field);
        if (f == SearchField.IP) {
            throw new UserError("'" + term + "': use a CIDR range such as ip:203.0.113.0/24 instead of wildcards in ip:");
        }
        if (f == SearchField.DATE) {
            throw new UserError("'" + term + "': use a range such as date:[2024-05-01 TO 2024-05-31] instead of wildcards in date:");
        }
        return f;
    }

    private static SearchQuery ipQuery(String text) throws UserError {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash >= 0) {
            InetAddress base = address(t.substring(0, slash));
            int bits;
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new UserError("'" + t + "' is not an IP address or CIDR range");
            }
            int max = base.getAddress().length * 8;
            if (bits < 0 || bits > max) {
                throw new UserError("'" + t + "' is not an IP address or CIDR range (prefix length 0 to " + max + ")");
            }
            return new AddressPrefix(base, bits);
        }
        InetAddress a = address(t);
        return new AddressPrefix(a, a.getAddress().length * 8);
    }

    private static InetAddress address(String text) throws UserError {
        InetAddress a = IpLiterals.parse(text);
        if (a == null) {
            throw new UserError("'" + text + "' is not an IP address or CIDR range");
        }
        return a;
    }

    private static SearchQuery dateRange(String from, String to) throws UserError {
        long lower = from == null || "*".equals(from) ? Long.MIN_VALUE : day(from) * 86_400;
        long upper = to == null || "*".equals(to) ? Long.MAX_VALUE : (day(to) + 1) * 86_400 - 1;
        if (upper < lower) {
            return new MatchNone("date range ends before it begins");
        }
        return new DateRange(lower, upper);
    }

    private static long day(String text) throws UserError {
        try {
            return LocalDate.parse(text.strip()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new UserError("'" + text + "' is not a date: write it as YYYY-MM-DD, e.g. date:2024-05-01");
        }
    }

    private static String stripAs(String text) {
        String t = text.strip();
        return t.regionMatches(true, 0, "AS", 0, 2) ? t.substring(2) : t;
    }

    /** Lucene's QueryParserBase.discardEscapeChar: backslash escapes and {@code \\uXXXX}. */
    static String discardEscapeChar(String input) throws SyntaxError {
        char[] output = new char[input.length()];
        int length = 0;
        boolean lastCharWasEscapeChar = false;
        int codePointMultiplier = 0;
        int codePoint = 0;
        for (int i = 0; i < input.length(); i++) {
            char curChar = input.charAt(i);
            if (codePointMultiplier > 0) {
                codePoint += hexToInt(curChar) * codePointMultiplier;
                codePointMultiplier >>>= 4;
                if (codePointMultiplier == 0) {
                    output[length++] = (char) codePoint;
                    codePoint = 0;
                }
            } else if (lastCharWasEscapeChar) {
                if (curChar == 'u') {
                    codePointMultiplier = 16 * 16 * 16;
                } else {
                    output[length++] = curChar;
                }
                lastCharWasEscapeChar = false;
            } else if (curChar == '\\') {
                lastCharWasEscapeChar = true;
            } else {
                output[length++] = curChar;
            }
        }
        if (codePointMultiplier > 0) {
            throw new SyntaxError("Truncated unicode escape sequence.");
        }
        if (lastCharWasEscapeChar) {
            throw new SyntaxError("Term can not end with escape character.");
        }
        return new String(output, 0, length);
    }

    private static int hexToInt(char c) throws SyntaxError {
        if ('0' <= c && c <= '9') {
            return c - '0';
        } else if ('a' <= c && c <= 'f') {
            return c - 'a' + 10;
        } else if ('A' <= c && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new SyntaxError("Non-hex character in Unicode escape sequence: " + c);
    }

    /** The query breaks the grammar; the message is Lucene's and gets the usual frame. */
    private static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /** A message meant for the user as it is (unknown field, bad address or date). */
    private static final class UserError extends Exception {
        UserError(String message) {
            super(message, null, false, false);
        }
    }
}
