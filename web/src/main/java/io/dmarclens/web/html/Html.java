package io.dmarclens.web.html;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tiny HTML writer that escapes every value it is given. Element and attribute NAMES come from our
 * code and are checked against a strict pattern; every text and attribute VALUE is escaped, so a report
 * string can never become markup. There is deliberately no way to append an unescaped string.
 */
public final class Html {
    private final StringBuilder out;
    private final Deque<String> open = new ArrayDeque<>();

    public Html() {
        this(new StringBuilder(8192));
    }

    private Html(StringBuilder out) {
        this.out = out;
    }

    /** Opens an element; {@code attrs} are name/value pairs, a null value omits the attribute. */
    public Html open(String tag, String... attrs) {
        startTag(tag, attrs);
        open.push(tag);
        return this;
    }

    /** Closes the innermost open element. */
    public Html close() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Closes elements until {@code tag} was closed. */
    public Html closeUpTo(String tag) {
        while (!open.isEmpty()) {
            String t = open.pop();
            out.append("</").append(t).append('>');
            if (t.equals(tag)) {
                break;
            }
        }
        return this;
    }

    /** A void element such as {@code input} or {@code meta}. */
    public Html empty(String tag, String... attrs) {
        startTag(tag, attrs);
        return this;
    }

    /** An element holding only escaped text. */
    public Html el(String tag, Object text, String... attrs) {
        startTag(tag, attrs);
        text(text);
        out.append("</").append(tag).append('>');
        return this;
    }

    /** Escaped text; null writes nothing. */
    public Html text(Object value) {
        if (value != null) {
            escapeInto(out, String.valueOf(value));
        }
        return this;
    }

    /** A link with escaped text and href. */
    public Html a(String href, Object text, String... attrs) {
        String[] all = new String[attrs.length + 2];
        all[0] = "href";
        all[1] = href;
        System.arraycopy(attrs, 0, all, 2, attrs.length);
        return el("a", text, all);
    }

    /** Appends another builder's finished output (already escaped by construction). */
    public Html append(Html other) {
        if (!other.open.isEmpty()) {
            throw new IllegalStateException("fragment has unclosed elements: " + other.open);
        }
        out.append(other.out);
        return this;
    }

    /** Writes the doctype; only at the start of a document. */
    public Html doctype() {
        out.append("<!DOCTYPE html>\n");
        return this;
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return out.toString();
    }

    private void startTag(String tag, String... attrs) {
        checkName(tag);
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs: " + attrs.length);
        }
        out.append('<').append(tag);
        for (int i = 0; i < attrs.length; i += 2) {
            String name = attrs[i];
            checkName(name);
            if (name.startsWith("on")) {
                throw new IllegalArgumentException("inline event handlers are not allowed: " + name);
            }
            String value = attrs[i + 1];
            if (value == null) {
                continue;
            }
            if (URL_ATTRIBUTES.contains(name) && !isLocalUrl(value)) {
                throw new IllegalArgumentException("only local URLs may be linked: " + name);
            }
            out.append(' ').append(name).append("=\"");
            escapeInto(out, value);
            out.append('"');
        }
        out.append('>');
    }

    private static final java.util.Set<String> URL_ATTRIBUTES = java.util.Set.of("href", "src", "action", "formaction");

    /** Links go only to our own pages, so a report value can never smuggle in a javascript: URL. */
    private static boolean isLocalUrl(String v) {
        return v.startsWith("?") || v.startsWith("#") || v.startsWith("/") && !v.startsWith("//");
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 40) {
            throw new IllegalArgumentException("bad HTML name: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("bad HTML name: " + name);
            }
        }
    }

    /** Escapes text for both element content and quoted attribute values. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        escapeInto(b, s);
        return b.toString();
    }

    private static void escapeInto(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '`' -> b.append("&#96;");
                default -> {
                    // Control characters other than tab/newline would only confuse the reader.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
