package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParserLimits;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * The fast {@link XmlCursor}: reads the common report, well-formed UTF-8 without a DTD, straight from
 * the bytes, to exactly the values and warnings {@link StaxCursor} gives. Whatever is not that common
 * case (a DOCTYPE, another encoding, a processing instruction, an entity other than the five predefined
 * and character references, an unbound prefix, a name that is not ASCII, a limit drawing near, any
 * well-formedness error...) is a {@link ScannerBailout}, and the document is read by Woodstox instead,
 * so that every error, limit and repair keeps Woodstox's wording.
 */
final class Utf8Cursor implements XmlCursor {
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";
    private static final String XMLNS_NS = "http://www.w3.org/2000/xmlns/";
    private static final int MAX_NAME = 128;
    private static final int MAX_ATTRIBUTES = 32;
    /** Whitespace after the root element that is looked at before the report is ended. */
    private static final int TRAILER = 1 << 16;
    private static final Pattern DECLARATION = Pattern.compile(
            "<\\?xml[ \\t\\r\\n]+version[ \\t\\r\\n]*=[ \\t\\r\\n]*(\"1\\.0\"|'1\\.0')"
            + "([ \\t\\r\\n]+encoding[ \\t\\r\\n]*=[ \\t\\r\\n]*(\"(?i:utf-8)\"|'(?i:utf-8)'))?"
            + "([ \\t\\r\\n]+standalone[ \\t\\r\\n]*=[ \\t\\r\\n]*(\"(yes|no)\"|'(yes|no)'))?[ \\t\\r\\n]*\\?>");
    private static final byte[] COMMENT = "<!--".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CDATA = "<![CDATA[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XML_DECLARATION = "<?xml".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of character data that need no attention: ASCII characters but {@code < & ] \r} and controls. */
    private static final boolean[] PLAIN = new boolean[256];

    /** Bytes that may start a name here ({@code A-Z a-z _}), go on in one ({@code 0-9 - .} too), or end one. */
    private static final boolean[] NAME_START = new boolean[256];
    private static final boolean[] NAME_CHAR = new boolean[256];
    private static final boolean[] NAME_END = new boolean[256];

    static {
        for (int b = 0x20; b < 0x80; b++) {
            PLAIN[b] = b != '<' && b != '&' && b != ']';
            NAME_START[b] = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
            NAME_CHAR[b] = NAME_START[b] || (b >= '0' && b <= '9') || b == '-' || b == '.';
        }
        PLAIN['\t'] = true;
        PLAIN['\n'] = true;
        for (char c : " \t\n\r>/=".toCharArray()) {
            NAME_END[c] = true;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SPACES = 0x2020202020202020L;

    private enum Markup { START, END, OTHER }

    private final Utf8Input in;
    private final WarningLog warnings;
    /** Text, attribute and comment bytes past which Woodstox decides (it applies the limits). */
    private final int maxRun;
    private final int maxDepth;
    private final TagNames names = new TagNames();
    private final ShortValues values = new ShortValues();

    private final TagNames.Name[] open;
    private final int[] bindingMarks;
    private int depth;
    private String[] boundPrefixes = new String[8];
    private String[] boundUris = new String[8];
    private int bindings;

    private final TagNames.Name[] attributeNames = new TagNames.Name[MAX_ATTRIBUTES];
    private final String[] attributeUris = new String[MAX_ATTRIBUTES];

    private TagNames.Name current;
    /** The name of the last start or end tag, and which it was: what to predict the next name from. */
    private TagNames.Name last;
    private boolean lastWasEnd;
    private String currentUri = "";
    private boolean emptyPending;
    private String namespace = "";
    private int run;

    Utf8Cursor(InputStream in, ParserLimits limits, WarningLog warnings) {
        this.in = new Utf8Input(in);
        this.warnings = warnings;
        this.maxRun = Math.min(limits.maxTextLength() / 2, Utf8Input.CHECKED_AHEAD);
        this.maxDepth = limits.maxXmlDepth() - 1;
        this.open = new TagNames.Name[Math.max(this.maxDepth, 0) + 1];
        this.bindingMarks = new int[open.length];
    }

    // ---- the prolog ------------------------------------------------------------------------------

    @Override
    public void toRoot() {
        int n = in.ensure(4);
        if (n >= 3 && in.at(0) == 0xEF && in.at(1) == 0xBB && in.at(2) == 0xBF) {
            in.pos += 3;
        } else if (n >= 1 && (in.at(0) == 0 || in.at(0) >= 0x80)) {
            throw new ScannerBailout("not UTF-8 (a byte order mark or NUL first)");
        }
        if (in.startsWith(XML_DECLARATION)) {
            declaration();
        }
        for (;;) {
            if (in.ensure(1) < 1) {
                throw new ScannerBailout("no element");
            }
            int b = in.at(0);
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                in.pos++;
            } else if (b != '<') {
                throw new ScannerBailout("text before the root element");
            } else if (in.startsWith(COMMENT)) {
                comment();
            } else {
                if (in.ensure(2) < 2 || !nameStart(in.at(1))) {
                    throw new ScannerBailout("a DOCTYPE, processing instruction or other markup before the root element");
                }
                in.pos++;
                startTag();
                if (!current.local.equals("feedback")) {
                    throw new ScannerBailout("the root element is not <feedback>");
                }
                return;
            }
        }
    }

    private void declaration() {
        int n = in.ensure(256);
        int close = -1;
        for (int i = 5; i + 1 < n; i++) {
            if (in.at(i) == '?' && in.at(i + 1) == '>') {
                close = i + 2;
                break;
            }
        }
        if (close < 0) {
            throw new ScannerBailout("an XML declaration of an unusual form");
        }
        String decl = new String(in.buf, in.pos, close, StandardCharsets.ISO_8859_1);
        if (!DECLARATION.matcher(decl).matches()) {
            throw new ScannerBailout("an XML declaration other than version 1.0 in UTF-8: " + decl);
        }
        in.pos += close;
    }

    // ---- the cursor ------------------------------------------------------------------------------

    @Override
    public String localName() {
        return current.local;
    }

    @Override
    public String prefixedName() {
        return current.prefixed;
    }

    @Override
    public String namespaceUri() {
        return currentUri;
    }

    @Override
    public XMLStreamException error(String message) {
        // Only called for documents this cursor hands on to Woodstox; never reached, kept for the contract.
        return new XMLStreamException(message);
    }

    @Override
    public void namespace(String uri) {
        namespace = uri == null ? "" : uri;
    }

    @Override
    public boolean nextChild() {
        if (emptyPending) {
            emptyPending = false;
            pop();
            return false;
        }
        // The common case: indentation, then a plain start or end tag, all in the window.
        byte[] b = in.buf;
        int p = in.pos;
        int limit = in.end;
        if (p < limit && b[p] == '\n') {
            p = spaces(b, p + 1, limit);
        }
        if (p + 1 < limit && b[p] == '<' && p - in.pos <= maxRun) {
            int next = b[p + 1] & 0xFF;
            if (NAME_START[next]) {
                in.pos = p + 1;
                startTag();
                return true;
            }
            int after = next == '/' ? endTagAhead(p + 2) : -1;
            if (after > 0) {
                in.pos = after;
                pop();
                return false;
            }
        }
        for (;;) {
            characters(false);
            Markup m = markup(false);
            if (m == Markup.START) {
                return true;
            }
            if (m == Markup.END) {
                return false;
            }
        }
    }

    @Override
    public String leaf(int index, String path) {
        return leaf0(index, path);
    }

    @Override
    public String leaf(String path) {
        return leaf0(-1, path);
    }

    private String leaf0(int index, String path) {
        if (emptyPending) {
            emptyPending = false;
            pop();
            return "";
        }
        // The common value: plain ASCII text right before its end tag, all in the window.
        byte[] b = in.buf;
        int start = in.pos;
        int p = start;
        int limit = in.end;
        int hash = 0;
        while (p < limit && PLAIN[b[p] & 0xFF]) {
            hash = 31 * hash + b[p];
            p++;
        }
        in.clearText();
        if (p < limit && b[p] == '<' && p - start <= maxRun) {
            in.pos = p;
            int after = p + 1 < limit && b[p + 1] == '/' ? endTagAhead(p + 2) : -1;
            if (after > 0) {
                int length = p - start;
                String value;
                if (length == 0) {
                    value = "";
                } else if (length <= ShortValues.MAX_LENGTH && b[start] > ' ' && b[p - 1] > ' ') {
                    value = values.of(b, start, length, hash); // nothing to strip
                } else {
                    value = new String(b, start, length, StandardCharsets.ISO_8859_1).strip();
                }
                in.pos = after;
                pop();
                return value;
            }
            in.appendText(b, start, p - start);
            run = p - start;
        } else {
            in.pos = start;
        }
        for (;;) {
            characters(true);
            Markup m = markup(true);
            if (m == Markup.END) {
                return in.text().strip();
            }
            if (m == Markup.START) {
                warn(index, path, "unexpected element <" + current.prefixed + "> inside a value; ignored");
                skip();
            }
        }
    }

    @Override
    public void skip() {
        int level = 1;
        while (level > 0) {
            if (nextChild()) {
                level++;
            } else {
                level--;
            }
        }
    }

    @Override
    public void unknown(int index, String parentPath) {
        boolean extension = !currentUri.isEmpty() && !currentUri.equals(namespace);
        if (!extension) {
            warn(index, parentPath + current.local, "unknown element <" + current.prefixed + "> ignored");
        }
        skip();
    }

    private void warn(int index, String path, String message) {
        if (index >= 0) {
            warnings.record(index, path, message);
        } else {
            warnings.add(path, message);
        }
    }

    // ---- character data --------------------------------------------------------------------------

    /** Reads character data up to the next {@code <}, checked; kept in the input's text when asked. */
    private void characters(boolean keep) {
        for (;;) {
            byte[] b = in.buf;
            int start = in.pos;
            int p = start;
            int limit = in.end;
            if (p < limit && b[p] == '\n') {
                p = spaces(b, p + 1, limit);
            }
            while (p < limit && PLAIN[b[p] & 0xFF]) {
                p++;
            }
            if (keep && p > start) {
                in.appendText(b, start, p - start);
            }
            run += p - start;
            in.pos = p;
            if (run > maxRun) {
                throw new ScannerBailout("a long text");
            }
            int c = in.peek();
            if (PLAIN[c]) {
                continue;
            }
            switch (c) {
                case '<':
                    return;
                case '&':
                    reference(keep);
                    break;
                case ']':
                    if (in.ensure(3) >= 3 && in.at(1) == ']' && in.at(2) == '>') {
                        throw new ScannerBailout("]]> in text");
                    }
                    in.pos++;
                    run++;
                    if (keep) {
                        in.appendText(']');
                    }
                    break;
                case '\r':
                    lineEnd(keep);
                    break;
                default:
                    other(c, keep);
            }
        }
    }

    /** Past the spaces from {@code p} (indentation), eight bytes at a time; the window has slack for it. */
    private static int spaces(byte[] b, int p, int limit) {
        while (p < limit) {
            long other = (long) LONGS.get(b, p) ^ SPACES;
            if (other != 0) {
                return Math.min(limit, p + (Long.numberOfTrailingZeros(other) >>> 3));
            }
            p += 8;
        }
        return limit;
    }

    /** A carriage return, read as XML reads it: CR LF and a lone CR are both one LF. */
    private void lineEnd(boolean keep) {
        in.pos++;
        run++;
        if (in.ensure(1) >= 1 && in.at(0) == '\n') {
            in.pos++;
            run++;
        }
        if (keep) {
            in.appendText('\n');
        }
    }

    /** A byte that is neither plain ASCII nor markup: UTF-8 of another character, or a control character. */
    private void other(int c, boolean keep) {
        if (c < 0x80) {
            throw new ScannerBailout("a control character");
        }
        int n = in.utf8Sequence();
        if (keep) {
            in.markNonAscii();
            in.appendText(in.buf, in.pos, n);
        }
        in.pos += n;
        run += n;
    }

    /** {@code &lt;} and the other four predefined entities, and character references. */
    private void reference(boolean keep) {
        int n = in.ensure(12);
        int next = referenceEnd(in.buf, in.pos, in.pos + n);
        int c = referenced(in.buf, in.pos, next);
        run += next - in.pos;
        in.pos = next;
        if (keep) {
            in.appendCodePoint(c);
        }
    }

    /** Where the reference at {@code b[at]} ends (after its ';'). */
    private static int referenceEnd(byte[] b, int at, int limit) {
        for (int i = at + 1; i < Math.min(limit, at + 12); i++) {
            if (b[i] == ';') {
                if (i == at + 1) {
                    break;
                }
                return i + 1;
            }
        }
        throw new ScannerBailout("an unusual entity reference");
    }

    /** The character the reference {@code b[at..end)} stands for. */
    private static int referenced(byte[] b, int at, int end) {
        String name = new String(b, at + 1, end - at - 2, StandardCharsets.ISO_8859_1);
        switch (name) {
            case "lt": return '<';
            case "gt": return '>';
            case "amp": return '&';
            case "quot": return '"';
            case "apos": return '\'';
            default: return characterReference(name);
        }
    }

    private static int characterReference(String name) {
        if (name.length() < 2 || name.charAt(0) != '#') {
            throw new ScannerBailout("an entity other than the predefined ones: &" + name + ";");
        }
        boolean hex = name.charAt(1) == 'x';
        String digits = name.substring(hex ? 2 : 1);
        if (digits.isEmpty() || digits.length() > 6) {
            throw new ScannerBailout("an unusual character reference");
        }
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), hex ? 16 : 10);
            char ch = digits.charAt(i);
            boolean ascii = (ch >= '0' && ch <= '9') || (hex && ((ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')));
            if (d < 0 || !ascii) {
                throw new ScannerBailout("an unusual character reference");
            }
            c = c * (hex ? 16 : 10) + d;
        }
        if (!Utf8Input.isXmlChar(c) || c == 0xD || (c >= 0x80 && c <= 0x9F)) {
            throw new ScannerBailout("a character reference to a character left to Woodstox");
        }
        return c;
    }

    // ---- markup ----------------------------------------------------------------------------------

    /** At a {@code <}: reads a start tag, an end tag, a comment or a CDATA section (kept when asked). */
    private Markup markup(boolean keep) {
        if (in.ensure(2) < 2) {
            throw new ScannerBailout("the document ends inside an element");
        }
        int next = in.at(1);
        if (next == '/') {
            in.pos += 2;
            endTag();
            return Markup.END;
        }
        if (next == '!') {
            if (in.startsWith(COMMENT)) {
                comment();
            } else if (in.startsWith(CDATA)) {
                cdata(keep);
            } else {
                throw new ScannerBailout("a DOCTYPE or other declaration inside the document");
            }
            return Markup.OTHER;
        }
        if (!nameStart(next)) {
            throw new ScannerBailout("a processing instruction or an unusual name");
        }
        in.pos++;
        startTag();
        return Markup.START;
    }

    private void comment() {
        in.pos += COMMENT.length;
        for (;;) {
            int c = in.peek();
            if (c == '-') {
                if (in.ensure(3) < 3) {
                    throw new ScannerBailout("the document ends inside a comment");
                }
                if (in.at(1) == '-') {
                    if (in.at(2) != '>') {
                        throw new ScannerBailout("-- inside a comment");
                    }
                    in.pos += 3;
                    return;
                }
                in.pos++;
                run++;
            } else if (PLAIN[c] || c == '<' || c == '&' || c == ']' || c == '\r') {
                in.pos++;
                run++;
            } else {
                other(c, false);
            }
            if (run > maxRun) {
                throw new ScannerBailout("a long comment");
            }
        }
    }

    private void cdata(boolean keep) {
        in.pos += CDATA.length;
        for (;;) {
            int c = in.peek();
            if (c == ']' && in.ensure(3) >= 3 && in.at(1) == ']' && in.at(2) == '>') {
                in.pos += 3;
                return;
            }
            if (c == '\r') {
                lineEnd(keep);
            } else if (PLAIN[c] || c == '<' || c == '&' || c == ']') {
                in.pos++;
                run++;
                if (keep) {
                    in.appendText(c);
                }
            } else {
                other(c, keep);
            }
            if (run > maxRun) {
                throw new ScannerBailout("a long CDATA section");
            }
        }
    }

    /** After {@code <}: the name, attributes and namespace declarations of a start tag. */
    private void startTag() {
        TagNames.Name name = predicted();
        if (name == null) {
            name = name();
        }
        if (last != null) {
            if (lastWasEnd) {
                last.afterEnd = name;
            } else {
                last.afterStart = name;
            }
        }
        last = name;
        lastWasEnd = false;
        int mark = bindings;
        int attributes = 0;
        boolean empty = false;
        if (in.buf[in.pos] == '>') {
            // The common tag: no attributes.
            in.pos++;
        } else {
            attributes = attributes();
            empty = attributes < 0;
            attributes = empty ? -attributes - 1 : attributes;
        }
        for (int i = 0; i < attributes; i++) {
            TagNames.Name a = attributeNames[i];
            if (a.prefixed.equals("xmlns")) {
                bind("", attributeUris[i]);
            } else if (a.prefix.equals("xmlns")) {
                String uri = attributeUris[i];
                if (uri.isEmpty() || a.local.equals("xml") || a.local.equals("xmlns")
                        || uri.equals(XML_NS) || uri.equals(XMLNS_NS)) {
                    throw new ScannerBailout("an unusual namespace declaration");
                }
                bind(a.local, uri);
            }
        }
        checkAttributes(attributes);
        if (name.prefix.equals("xml") || name.prefix.equals("xmlns")) {
            throw new ScannerBailout("a reserved prefix on an element");
        }
        String uri = resolve(name.prefix);
        if (depth >= maxDepth) {
            throw new ScannerBailout("deep nesting");
        }
        open[depth] = name;
        bindingMarks[depth] = mark;
        depth++;
        current = name;
        currentUri = uri;
        emptyPending = empty;
        run = 0;
    }

    /**
     * The attributes of the start tag, up to its end; their count, or {@code -count - 1} for an empty
     * element ({@code />}).
     */
    private int attributes() {
        int attributes = 0;
        for (;;) {
            boolean space = whitespace();
            int c = in.peek();
            if (c == '>') {
                in.pos++;
                return attributes;
            }
            if (c == '/') {
                if (in.ensure(2) < 2 || in.at(1) != '>') {
                    throw new ScannerBailout("/ without > in a start tag");
                }
                in.pos += 2;
                return -attributes - 1;
            }
            if (!space || !nameStart(c) || attributes == MAX_ATTRIBUTES) {
                throw new ScannerBailout("an unusual start tag");
            }
            attribute(attributes++);
        }
    }

    /** Attribute prefixes bound, and no attribute given twice (by name as written or by namespace and local name). */
    private void checkAttributes(int attributes) {
        for (int i = 0; i < attributes; i++) {
            TagNames.Name a = attributeNames[i];
            String uri = a.prefix.isEmpty() || a.prefixed.equals("xmlns") ? "" : a.prefix.equals("xmlns") ? XMLNS_NS : resolve(a.prefix);
            for (int j = 0; j < i; j++) {
                TagNames.Name o = attributeNames[j];
                if (o == a || o.prefixed.equals(a.prefixed)) {
                    throw new ScannerBailout("an attribute given twice");
                }
                if (o.local.equals(a.local) && !a.prefix.isEmpty() && !o.prefix.isEmpty()) {
                    String otherUri = o.prefix.equals("xmlns") ? XMLNS_NS : resolve(o.prefix);
                    if (otherUri.equals(uri)) {
                        throw new ScannerBailout("an attribute given twice in one namespace");
                    }
                }
            }
        }
    }

    private void attribute(int i) {
        TagNames.Name name = name();
        attributeNames[i] = name;
        whitespace();
        if (in.peek() != '=') {
            throw new ScannerBailout("an attribute without =");
        }
        in.pos++;
        whitespace();
        int quote = in.peek();
        if (quote != '"' && quote != '\'') {
            throw new ScannerBailout("an unquoted attribute value");
        }
        in.pos++;
        // The whole value (a bounded length) is in the window: checked there, kept only for namespaces.
        int n = in.ensure(maxRun + 1);
        byte[] b = in.buf;
        int start = in.pos;
        int limit = start + Math.min(n, maxRun + 1);
        int p = start;
        while (p < limit) {
            int c = b[p] & 0xFF;
            if (c == quote) {
                break;
            } else if (c == '<') {
                throw new ScannerBailout("< in an attribute value");
            } else if (c == '&') {
                int end = referenceEnd(b, p, limit);
                referenced(b, p, end);
                p = end;
            } else if (c >= 0x80) {
                p += Utf8Input.sequence(b, p, limit);
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw new ScannerBailout("a control character in an attribute value");
            } else {
                p++;
            }
        }
        if (p >= limit) {
            throw new ScannerBailout("a long or unterminated attribute value");
        }
        boolean declaration = name.prefixed.equals("xmlns") || name.prefix.equals("xmlns");
        attributeUris[i] = declaration ? namespaceUri(b, start, p) : null;
        in.pos = p + 1;
    }

    /**
     * A namespace URI as declared: only plain ASCII without references or whitespace is read here
     * (Woodstox normalises the rest).
     */
    private static String namespaceUri(byte[] b, int start, int end) {
        for (int p = start; p < end; p++) {
            int c = b[p] & 0xFF;
            if (c <= 0x20 || c >= 0x7F || c == '&') {
                throw new ScannerBailout("a namespace URI with whitespace, references or non-ASCII characters");
            }
        }
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private void bind(String prefix, String uri) {
        if (bindings == boundPrefixes.length) {
            boundPrefixes = java.util.Arrays.copyOf(boundPrefixes, bindings * 2);
            boundUris = java.util.Arrays.copyOf(boundUris, bindings * 2);
        }
        boundPrefixes[bindings] = prefix;
        boundUris[bindings] = uri;
        bindings++;
    }

    private String resolve(String prefix) {
        for (int i = bindings - 1; i >= 0; i--) {
            if (boundPrefixes[i].equals(prefix)) {
                return boundUris[i];
            }
        }
        if (prefix.isEmpty()) {
            return "";
        }
        if (prefix.equals("xml")) {
            return XML_NS;
        }
        throw new ScannerBailout("an unbound prefix " + prefix);
    }

    /** After {@code </}: the end tag of the innermost open element. */
    private void endTag() {
        if (depth == 0) {
            throw new ScannerBailout("an end tag without a start tag");
        }
        TagNames.Name expected = open[depth - 1];
        int length = expected.bytes.length;
        if (in.ensure(length + 1) < length + 1 || !expected.is(in.buf, in.pos, length)) {
            throw new ScannerBailout("an end tag that does not match its start tag");
        }
        in.pos += length;
        whitespace();
        if (in.peek() != '>') {
            throw new ScannerBailout("an end tag that does not match its start tag");
        }
        in.pos++;
        pop();
    }

    /**
     * Where the plain end tag ({@code </name>}) of the innermost element whose name starts at
     * {@code at} ends, when it is whole in the window; -1 otherwise.
     */
    private int endTagAhead(int at) {
        TagNames.Name expected = open[depth - 1];
        int close = at + expected.bytes.length;
        return close < in.end && in.buf[close] == '>' && expected.is(in.buf, at, expected.bytes.length) ? close + 1 : -1;
    }

    /**
     * The name of the start tag at {@code pos} when it is the one that followed the last tag the
     * last time (reports repeat one structure), else null. A known name has been checked already.
     */
    private TagNames.Name predicted() {
        TagNames.Name guess = last == null ? null : lastWasEnd ? last.afterEnd : last.afterStart;
        if (guess == null) {
            return null;
        }
        int length = guess.bytes.length;
        int at = in.pos;
        if (at + length < in.end && guess.is(in.buf, at, length) && NAME_END[in.buf[at + length] & 0xFF]) {
            in.pos = at + length;
            return guess;
        }
        return null;
    }

    private void pop() {
        in.readAhead();
        depth--;
        last = open[depth];
        lastWasEnd = true;
        bindings = bindingMarks[depth];
        run = 0;
        if (depth == 0) {
            trailer();
        }
    }

    /**
     * Woodstox stops at the end of the root element too, but may have decoded some bytes past it: only
     * whitespace there is read here, anything else is left to Woodstox.
     */
    private void trailer() {
        int n = in.ensure(TRAILER);
        for (int i = 0; i < n; i++) {
            int c = in.at(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw new ScannerBailout("something after the root element");
            }
        }
    }

    /** Skips whitespace inside a tag; true when there was some. */
    private boolean whitespace() {
        boolean any = false;
        for (;;) {
            int c = in.peek();
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return any;
            }
            in.pos++;
            any = true;
        }
    }

    /** An ASCII name with at most one colon, not first or last. */
    private TagNames.Name name() {
        if (in.end - in.pos <= MAX_NAME) {
            in.ensure(MAX_NAME + 1);
        }
        byte[] b = in.buf;
        int start = in.pos;
        int limit = Math.min(in.end, start + MAX_NAME + 1);
        int c = b[start] & 0xFF;
        if (!NAME_START[c]) {
            throw new ScannerBailout("an unusual name");
        }
        int hash = c;
        int colon = -1;
        int p = start + 1;
        for (; p < limit; p++) {
            c = b[p] & 0xFF;
            if (!NAME_CHAR[c]) {
                if (c != ':') {
                    break;
                }
                if (colon >= 0 || p + 1 >= limit || !NAME_START[b[p + 1] & 0xFF]) {
                    throw new ScannerBailout("an unusual name");
                }
                colon = p - start;
            }
            hash = 31 * hash + c;
        }
        if (p == limit) {
            throw new ScannerBailout("a long name");
        }
        if (!NAME_END[c]) {
            throw new ScannerBailout("an unusual name");
        }
        in.pos = p;
        return names.of(b, start, p - start, colon, hash);
    }

    private static boolean nameStart(int c) {
        return NAME_START[c];
    }
}
