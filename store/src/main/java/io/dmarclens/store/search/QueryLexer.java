package io.dmarclens.store.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a query into tokens the way Lucene's classic query parser does (its JavaCC grammar), so that
 * what a query means and the messages for a query that cannot be read stay what users knew: the same
 * longest-match rules, the three lexical states (after {@code ^} only a number, inside brackets range
 * values) and the same wording and columns for a lexical error. Tokens are made on demand, as the parser
 * looks ahead, because which error a user sees first depends on how far the parser had read.
 */
final class QueryLexer {
    // Token kinds: the numbers and images of Lucene's QueryParserConstants, which error messages name.
    static final int EOF = 0;
    static final int AND = 8;
    static final int OR = 9;
    static final int NOT = 10;
    static final int PLUS = 11;
    static final int MINUS = 12;
    static final int BAREOPER = 13;
    static final int LPAREN = 14;
    static final int RPAREN = 15;
    static final int COLON = 16;
    static final int STAR = 17;
    static final int CARAT = 18;
    static final int QUOTED = 19;
    static final int TERM = 20;
    static final int FUZZY_SLOP = 21;
    static final int PREFIXTERM = 22;
    static final int WILDTERM = 23;
    static final int REGEXPTERM = 24;
    static final int RANGEIN_START = 25;
    static final int RANGEEX_START = 26;
    static final int NUMBER = 27;
    static final int RANGE_TO = 28;
    static final int RANGEIN_END = 29;
    static final int RANGEEX_END = 30;
    static final int RANGE_QUOTED = 31;
    static final int RANGE_GOOP = 32;

    private static final String[] IMAGES = {"<EOF>", "<_NUM_CHAR>", "<_ESCAPED_CHAR>", "<_TERM_START_CHAR>",
        "<_TERM_CHAR>", "<_WHITESPACE>", "<_QUOTED_CHAR>", "<token of kind 7>", "<AND>", "<OR>", "<NOT>", "\"+\"",
        "\"-\"", "<BAREOPER>", "\"(\"", "\")\"", "\":\"", "\"*\"", "\"^\"", "<QUOTED>", "<TERM>", "<FUZZY_SLOP>",
        "<PREFIXTERM>", "<WILDTERM>", "<REGEXPTERM>", "\"[\"", "\"{\"", "<NUMBER>", "\"TO\"", "\"]\"", "\"}\"",
        "<RANGE_QUOTED>", "<RANGE_GOOP>"};

    // Lexical states, numbered as in the grammar (they appear in messages).
    private static final int BOOST = 0;
    private static final int RANGE = 1;
    private static final int DEFAULT = 2;

    /** One token: its kind, its text as typed and where it begins (0-based). */
    record Token(int kind, String image, int begin) {
    }

    /** The query cannot be cut into tokens; the message is Lucene's. */
    static final class LexicalError extends Exception {
        LexicalError(String message) {
            super(message, null, false, false);
        }
    }

    private final String s;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int state = DEFAULT;

    QueryLexer(String s) {
        this.s = s;
    }

    /** The token at {@code index} (0-based), cutting the query up to it if not done yet. */
    Token token(int index) throws LexicalError {
        while (tokens.size() <= index) {
            Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
            tokens.add(last != null && last.kind() == EOF ? last : next());
        }
        return tokens.get(index);
    }

    /** How a parse error names a token: {@code Encountered " ")" ") "" at line 1, column 0.} */
    static String encountered(Token t) {
        String what = t.kind() == EOF ? IMAGES[EOF] : " " + IMAGES[t.kind()] + " \"" + escape(t.image()) + " \"";
        return "Encountered \"" + what + "\" at line 1, column " + t.begin() + ".";
    }

    private Token next() throws LexicalError {
        int n = s.length();
        while (true) {
            if (pos >= n) {
                return new Token(EOF, "", n);
            }
            int start = pos;
            char c = s.charAt(start);
            int kind;
            int len;
            if (state == BOOST) {
                len = numberLength(start);
                kind = NUMBER;
                if (len == 0) {
                    throw error(start, 1);
                }
            } else if (state == RANGE) {
                int goop = goopLength(start);
                if (whitespace(c) && goop <= 1) {
                    pos++;
                    continue;
                }
                kind = RANGE_GOOP;
                len = goop;
                int quoted = rangeQuotedLength(start);
                if (quoted >= len) {
                    kind = RANGE_QUOTED;
                    len = quoted;
                }
                if (c == ']' || c == '}') {
                    kind = c == ']' ? RANGEIN_END : RANGEEX_END;
                    len = 1;
                } else if (s.startsWith("TO", start) && len <= 2) {
                    kind = RANGE_TO;
                    len = 2;
                }
            } else {
                if (whitespace(c)) {
                    pos++;
                    continue;
                }
                int[] best = {0, Integer.MAX_VALUE};
                candidate(best, AND, s.startsWith("AND", start) ? 3 : s.startsWith("&&", start) ? 2 : 0);
                candidate(best, OR, s.startsWith("OR", start) || s.startsWith("||", start) ? 2 : 0);
                candidate(best, NOT, s.startsWith("NOT", start) ? 3 : c == '!' ? 1 : 0);
                candidate(best, PLUS, c == '+' ? 1 : 0);
                candidate(best, MINUS, c == '-' ? 1 : 0);
                candidate(best, BAREOPER, (c == '+' || c == '-' || c == '!') && start + 1 < n
                        && whitespace(s.charAt(start + 1)) ? 2 : 0);
                candidate(best, LPAREN, c == '(' ? 1 : 0);
                candidate(best, RPAREN, c == ')' ? 1 : 0);
                candidate(best, COLON, c == ':' ? 1 : 0);
                candidate(best, STAR, c == '*' ? 1 : 0);
                candidate(best, CARAT, c == '^' ? 1 : 0);
                candidate(best, QUOTED, quotedLength(start));
                int term = termLength(start);
                candidate(best, TERM, term);
                candidate(best, FUZZY_SLOP, c == '~' ? 1 + termCharsLength(start + 1) : 0);
                candidate(best, PREFIXTERM, c == '*' ? 1
                        : term > 0 && start + term < n && s.charAt(start + term) == '*' ? term + 1 : 0);
                candidate(best, WILDTERM, wildLength(start));
                candidate(best, REGEXPTERM, regexpLength(start));
                candidate(best, RANGEIN_START, c == '[' ? 1 : 0);
                candidate(best, RANGEEX_START, c == '{' ? 1 : 0);
                len = best[0];
                kind = best[1];
                if (len == 0) {
                    // Only an unclosed quote or regular expression reads on to the end before failing.
                    throw error(start, c == '"' || c == '/' ? n - start : 1);
                }
            }
            pos = start + len;
            if (kind == CARAT) {
                state = BOOST;
            } else if (kind == RANGEIN_START || kind == RANGEEX_START) {
                state = RANGE;
            } else if (kind == NUMBER || kind == RANGEIN_END || kind == RANGEEX_END) {
                state = DEFAULT;
            }
            return new Token(kind, s.substring(start, start + len), start);
        }
    }

    /** Longest match wins; on a tie the kind defined first. */
    private static void candidate(int[] best, int kind, int len) {
        if (len > best[0] || (len == best[0] && len > 0 && kind < best[1])) {
            best[0] = len;
            best[1] = kind;
        }
    }

    /** Lucene's wording: the column after the last character read, or past the end when it ran out. */
    private LexicalError error(int start, int charsRead) {
        int n = s.length();
        int end = start + charsRead;
        char cur = s.charAt(end - 1);
        boolean eof = end >= n;
        int line = 1;
        int column = end;
        if (eof) {
            if (cur == '\n' || cur == '\r') {
                line = 2;
                column = 0;
            } else {
                column++;
            }
        }
        String after = charsRead <= 1 ? "" : s.substring(start, end);
        return new LexicalError("Lexical error at line " + line + ", column " + column + ".  Encountered: "
                + (eof ? "<EOF>" : "'" + escape(String.valueOf((int) cur)) + "' (" + (int) cur + "),")
                + (after.isEmpty() ? "" : " after prefix \"" + escape(after) + "\"")
                + (state == BOOST ? "" : " (in lexical state " + state + ")"));
    }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u3000';
    }

    private static boolean excludedFromTermStart(char c) {
        return whitespace(c) || "+-!():^[]\"{}~*?\\/".indexOf(c) >= 0;
    }

    /** Length of a term-start character at i (an escape is two), or 0. */
    private int termStart(int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (c == '\\') {
            return i + 1 < s.length() ? 2 : 0;
        }
        return excludedFromTermStart(c) ? 0 : 1;
    }

    private int termChar(int i) {
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            return 1;
        }
        return termStart(i);
    }

    private int termCharsLength(int i) {
        int p = i;
        for (int k; (k = termChar(p)) > 0; ) {
            p += k;
        }
        return p - i;
    }

    private int termLength(int start) {
        int first = termStart(start);
        return first == 0 ? 0 : first + termCharsLength(start + first);
    }

    private int wildLength(int start) {
        int p = start;
        if (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '?')) {
            p++;
        } else {
            int first = termStart(p);
            if (first == 0) {
                return 0;
            }
            p += first;
        }
        while (true) {
            if (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '?')) {
                p++;
                continue;
            }
            int k = termChar(p);
            if (k == 0) {
                return p - start;
            }
            p += k;
        }
    }

    private int quotedLength(int start) {
        if (s.charAt(start) != '"') {
            return 0;
        }
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1 - start;
            }
            if (c == '\\') {
                i++;
            }
        }
        return 0;
    }

    /** {@code / ( [^/] | \/ )* /}, longest match (a backslash before a slash may end it or escape it). */
    private int regexpLength(int start) {
        int n = s.length();
        if (s.charAt(start) != '/') {
            return 0;
        }
        boolean[] reach = new boolean[n + 2];
        reach[start + 1] = true;
        int longest = 0;
        for (int i = start + 1; i < n; i++) {
            if (!reach[i]) {
                continue;
            }
            char c = s.charAt(i);
            if (c == '/') {
                longest = i + 1 - start;
            } else {
                reach[i + 1] = true;
            }
            if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '/') {
                reach[i + 2] = true;
            }
        }
        return longest;
    }

    private int numberLength(int start) {
        int p = start;
        while (p < s.length() && isAsciiDigit(s.charAt(p))) {
            p++;
        }
        if (p == start) {
            return 0;
        }
        if (p + 1 < s.length() && s.charAt(p) == '.' && isAsciiDigit(s.charAt(p + 1))) {
            p++;
            while (p < s.length() && isAsciiDigit(s.charAt(p))) {
                p++;
            }
        }
        return p - start;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private int goopLength(int start) {
        int p = start;
        while (p < s.length() && " ]}".indexOf(s.charAt(p)) < 0) {
            p++;
        }
        return p - start;
    }

    /** {@code " ( [^"] | \" )+ "}, longest match. */
    private int rangeQuotedLength(int start) {
        int n = s.length();
        if (s.charAt(start) != '"') {
            return 0;
        }
        boolean[] reach = new boolean[n + 2];
        reach[start + 1] = true;
        int longest = 0;
        for (int i = start + 1; i < n; i++) {
            if (!reach[i]) {
                continue;
            }
            char c = s.charAt(i);
            if (c == '"') {
                if (i > start + 1) {
                    longest = i + 1 - start;
                }
            } else {
                reach[i + 1] = true;
            }
            if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '"') {
                reach[i + 2] = true;
            }
        }
        return longest;
    }

    /** JavaCC's escaping of text in its messages. */
    static String escape(String str) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < str.length(); i++) {
            char ch = str.charAt(i);
            switch (ch) {
                case 0 -> { }
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case '"' -> out.append("\\\"");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        String hex = "0000" + Integer.toString(ch, 16);
                        out.append("\\u").append(hex.substring(hex.length() - 4));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
