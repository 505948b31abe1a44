package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParseWarning;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Repairs the usual breakage of real reports on the way to the XML parser, for the recovery pass only
 * (it looks at every character, which the fast pass must not): unescaped {@code &} and {@code <} in
 * text, characters XML forbids, undecodable bytes (already replaced by U+FFFD by the decoder), stray
 * {@code <xs:schema>} tags, end tags that close elements left open, and end tags that close nothing.
 * Each kind of repair is counted and reported as one warning naming its first line.
 */
final class SanitizingReader extends Reader {
    private static final int LOOKAHEAD = 4096;
    /** Local names of every element of RFC 7489, RFC 9990 and the dmarc.org draft, and known variants. */
    private static final java.util.Set<String> DMARC_ELEMENTS = java.util.Set.of("feedback", "version",
            "report_metadata", "org_name", "email", "extra_contact_info", "report_id", "date_range", "begin", "end",
            "error", "generator", "policy_published", "domain", "adkim", "aspf", "p", "sp", "np", "pct", "fo",
            "testing", "discovery_method", "extension", "record", "row", "source_ip", "count", "policy_evaluated",
            "disposition", "dkim", "spf", "reason", "type", "comment", "identifiers", "identities", "envelope_to",
            "envelope_from", "header_from", "auth_results", "selector", "result", "human_result", "scope", "schema");
    private static final int CHUNK = 8192;

    private enum Mode { TEXT, COMMENT, CDATA, PI, DECLARATION }

    private enum Repair {
        UNDECODABLE("bytes that are not valid in the document's encoding were replaced with U+FFFD"),
        FORBIDDEN_CHAR("characters XML does not allow were replaced with U+FFFD"),
        AMPERSAND("unescaped '&' read as text"),
        LESS_THAN("unescaped '<' read as text"),
        SCHEMA_TAG("stray <xs:schema> tags removed"),
        UNCLOSED("elements left open were closed"),
        STRAY_END_TAG("end tags without a matching start tag removed");

        final String message;

        Repair(String message) {
            this.message = message;
        }
    }

    private final Reader in;
    private final int maxDepth;
    private final char[] buf = new char[LOOKAHEAD + CHUNK];
    private int pos;
    private int lim;
    private boolean eof;
    private final StringBuilder out = new StringBuilder(CHUNK + 256);
    private int outPos;
    private Mode mode = Mode.TEXT;
    private final List<String> open = new ArrayList<>();
    private int line = 1;
    private boolean started;
    private final long[] counts = new long[Repair.values().length];
    private final int[] firstLine = new int[Repair.values().length];

    SanitizingReader(Reader in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /** One warning per kind of repair made so far. */
    List<ParseWarning> repairs() {
        List<ParseWarning> list = new ArrayList<>();
        if (in instanceof Utf8FallbackReader utf8 && utf8.fallbacks() > 0) {
            long n = utf8.fallbacks();
            list.add(new ParseWarning("line " + utf8.firstFallbackLine(), n + " byte" + (n == 1 ? "" : "s")
                    + " not valid in UTF-8 read as windows-1252 (text from a Windows program in a UTF-8 report)"));
        }
        for (Repair r : Repair.values()) {
            long n = counts[r.ordinal()];
            if (n > 0) {
                list.add(new ParseWarning("line " + firstLine[r.ordinal()], n + " time" + (n == 1 ? "" : "s")
                        + ": " + r.message));
            }
        }
        return list;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos >= out.length()) {
            out.setLength(0);
            outPos = 0;
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, out.length() - outPos);
        out.getChars(outPos, outPos + n, cbuf, off);
        outPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Repairs the next chunk of input into {@code out}; false at the end of the input. */
    private boolean fill() throws IOException {
        while (out.length() < CHUNK) {
            if (!ensure(1)) {
                return out.length() > 0;
            }
            char c = buf[pos];
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    pos++;
                    continue;
                }
            }
            switch (mode) {
                case TEXT:
                    text(c);
                    break;
                case COMMENT:
                    passUntil("-->");
                    break;
                case CDATA:
                    passUntil("]]>");
                    break;
                case PI:
                    passUntil("?>");
                    break;
                default:
                    passUntil(">");
            }
        }
        return true;
    }

    private void text(char c) throws IOException {
        if (c == '<') {
            markup();
        } else if (c == '&') {
            ampersand();
        } else {
            pos++;
            plain(c);
        }
    }

    /** Copies one character of content, replacing what XML forbids. */
    private void plain(char c) throws IOException {
        if (c == '\n') {
            line++;
            out.append(c);
        } else if (c >= 0x20 && c < 0xD800 || c == '\t' || c == '\r' || (c >= 0xE000 && c < 0xFFFE)) {
            if (c == '\uFFFD') {
                count(Repair.UNDECODABLE);
            }
            out.append(c);
        } else if (Character.isHighSurrogate(c) && ensure(1) && Character.isLowSurrogate(buf[pos])) {
            out.append(c).append(buf[pos++]);
        } else {
            count(Repair.FORBIDDEN_CHAR);
            out.append('\uFFFD');
        }
    }

    private void passUntil(String terminator) throws IOException {
        if (startsWith(terminator)) {
            out.append(terminator);
            pos += terminator.length();
            mode = Mode.TEXT;
        } else {
            plain(buf[pos++]);
        }
    }

    private void ampersand() throws IOException {
        ensure(12);
        int end = -1;
        for (int i = pos + 1; i < Math.min(lim, pos + 12); i++) {
            if (buf[i] == ';') {
                end = i;
                break;
            }
        }
        if (end > 0 && isReference(new String(buf, pos + 1, end - pos - 1))) {
            out.append(buf, pos, end + 1 - pos);
            pos = end + 1;
        } else {
            count(Repair.AMPERSAND);
            out.append("&amp;");
            pos++;
        }
    }

    private static boolean isReference(String name) {
        switch (name) {
            case "amp": case "lt": case "gt": case "quot": case "apos":
                return true;
            default:
                if (name.length() < 2 || name.charAt(0) != '#') {
                    return false;
                }
                try {
                    int cp = name.charAt(1) == 'x' ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
                } catch (NumberFormatException e) {
                    return false;
                }
        }
    }

    /** At a '<': a tag, comment, CDATA, processing instruction or declaration, or text that needs escaping. */
    private void markup() throws IOException {
        ensure(LOOKAHEAD);
        if (startsWith("<!--")) {
            enter(Mode.COMMENT, 4);
        } else if (startsWith("<![CDATA[")) {
            enter(Mode.CDATA, 9);
        } else if (startsWith("<?")) {
            enter(Mode.PI, 2);
        } else if (startsWith("<!")) {
            enter(Mode.DECLARATION, 2);
        } else if (!tag()) {
            count(Repair.LESS_THAN);
            out.append("&lt;");
            pos++;
        }
    }

    private void enter(Mode next, int length) {
        out.append(buf, pos, length);
        pos += length;
        mode = next;
    }

    /** Copies (or repairs) a start or end tag at pos; false when what follows '<' is no tag. */
    private boolean tag() {
        boolean end = pos + 1 < lim && buf[pos + 1] == '/';
        int nameStart = pos + (end ? 2 : 1);
        int i = nameStart;
        if (i >= lim || !isNameStart(buf[i])) {
            return false;
        }
        while (i < lim && isNameChar(buf[i])) {
            i++;
        }
        String name = new String(buf, nameStart, i - nameStart);
        if (i >= lim || !(buf[i] == '>' || buf[i] == '/' || Character.isWhitespace(buf[i]))) {
            return false;
        }
        if (name.indexOf(':') < 0 && !DMARC_ELEMENTS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            // An unprefixed name no DMARC schema has is text that was not escaped ("Black & White <Mail> Ltd");
            // extension elements must be namespaced (RFC 9990), so they keep their prefix and stay markup.
            return false;
        }
        int close = closingBracket(i);
        if (close < 0 || (end && !blank(i, close))) {
            return false;
        }
        boolean selfClosing = !end && buf[close - 1] == '/';
        int lines = countLines(pos, close + 1);
        String local = name.substring(name.indexOf(':') + 1);
        if (local.equals("schema") && name.indexOf(':') > 0) {
            count(Repair.SCHEMA_TAG);
        } else if (end) {
            endTag(name, close);
        } else {
            out.append(buf, pos, close + 1 - pos);
            if (!selfClosing && open.size() <= maxDepth) {
                open.add(name);
            }
        }
        line += lines;
        pos = close + 1;
        return true;
    }

    private void endTag(String name, int close) {
        int at = open.lastIndexOf(name);
        if (at < 0) {
            count(Repair.STRAY_END_TAG);
            return;
        }
        for (int k = open.size() - 1; k > at; k--) {
            count(Repair.UNCLOSED);
            out.append("</").append(open.remove(k)).append('>');
        }
        open.remove(at);
        out.append(buf, pos, close + 1 - pos);
    }

    /** The index of the '>' ending the tag whose name ends at {@code from}, or -1. */
    private int closingBracket(int from) {
        char quote = 0;
        for (int i = from; i < lim; i++) {
            char c = buf[i];
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                return i;
            } else if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(buf[i])) {
                return false;
            }
        }
        return true;
    }

    private int countLines(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 0x7F && Character.isLetter(c);
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':' || c == 0xB7;
    }

    private boolean startsWith(String s) {
        if (lim - pos < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (buf[pos + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Makes at least {@code n} characters available from pos, unless the input ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (!eof && lim < n) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos > 0;
    }

    private void count(Repair r) {
        if (counts[r.ordinal()]++ == 0) {
            firstLine[r.ordinal()] = line;
        }
    }
}
