package io.dmarclens.parser.container;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Decides a payload's {@link ContentKind} from its first bytes (magic numbers), the way the formats
 * arrive in the wild: media types and file names lie (Google sends zip as {@code .xml.gz}, SES sends
 * everything as {@code application/octet-stream}), the bytes do not.
 */
public final class ContentSniffer {
    /** How many leading bytes {@link #sniff} looks at; callers pass at least this many when available. */
    public static final int HEAD_SIZE = 8 * 1024;

    /** Longest header field name taken for one (RFC 5322 lines are at most 78 characters). */
    private static final int MAX_NAME = 76;
    private static final Set<String> MAIL_HEADERS = Set.of("from", "to", "subject", "date", "content-type",
            "mime-version", "received", "message-id", "return-path", "delivered-to", "dkim-signature",
            "authentication-results", "x-original-to", "reply-to", "sender");

    private static final Set<String> HTML_ELEMENTS = Set.of("html", "head", "body", "div", "p", "span", "table",
            "br", "meta", "style", "font", "center", "a", "b", "i", "u", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
            "img", "title", "ul", "ol", "blockquote", "section", "article", "header", "footer", "hr", "strong", "em",
            "o:p");

    private ContentSniffer() {
    }

    /** The kind of the payload starting with {@code head[0..length)}. */
    public static ContentKind sniff(byte[] head, int length) {
        return sniff(head, length, true);
    }

    private static ContentKind sniff(byte[] head, int length, boolean allowBase64) {
        if (length <= 0) {
            return ContentKind.EMPTY;
        }
        int b0 = head[0] & 0xff;
        int b1 = length > 1 ? head[1] & 0xff : -1;
        if (b0 == 0x1f && b1 == 0x8b) {
            return ContentKind.GZIP;
        }
        if (length >= 4 && b0 == 'P' && b1 == 'K') {
            if (head[2] == 3 && head[3] == 4) {
                return ContentKind.ZIP;
            }
            if (head[2] == 5 && head[3] == 6) {
                return ContentKind.EMPTY_ZIP;
            }
        }
        int start = skipBomAndSpace(head, length);
        if (start < length) {
            if (head[start] == '<') {
                return looksLikeHtml(head, start, length) ? ContentKind.HTML : ContentKind.XML;
            }
            if (head[start] == '{') {
                return ContentKind.JSON;
            }
        }
        if (isUtf16Xml(head, length)) {
            return ContentKind.XML;
        }
        if (looksLikeMail(head, length)) {
            return ContentKind.MAIL;
        }
        if (allowBase64 && looksLikeBase64(head, length)) {
            return ContentKind.BASE64;
        }
        return ContentKind.UNKNOWN;
    }

    /** A short printable description of the first bytes, for error messages. */
    public static String describeStart(byte[] head, int length) {
        int n = Math.min(length, 16);
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            int b = head[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            String text = new String(head, 0, n, StandardCharsets.US_ASCII)
                    .replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
            return "'" + text + "'";
        }
        StringBuilder hex = new StringBuilder("bytes");
        for (int i = 0; i < Math.min(n, 8); i++) {
            hex.append(String.format(Locale.ROOT, " %02x", head[i] & 0xff));
        }
        return hex.toString();
    }

    private static int skipBomAndSpace(byte[] head, int length) {
        int i = 0;
        if (length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i;
    }

    private static boolean isUtf16Xml(byte[] head, int length) {
        int i = 0;
        if (length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff
                || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe)) {
            i = 2;
        }
        if (length < i + 2) {
            return false;
        }
        return head[i] == '<' && head[i + 1] == 0 || head[i] == 0 && head[i + 1] == '<';
    }

    /**
     * An HTML page or fragment: a mail's human-readable part (Microsoft's is a bare {@code <div>}), never a
     * report, so a container does not count it as an unreadable report.
     */
    private static boolean looksLikeHtml(byte[] head, int start, int length) {
        String text = new String(head, start, Math.min(length - start, 2048), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT);
        int i = 0;
        // Skip an XML declaration, processing instructions and comments: XHTML pages may start with them.
        while (true) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (text.startsWith("<?", i) || text.startsWith("<!--", i)) {
                int end = text.indexOf(text.startsWith("<?", i) ? "?>" : "-->", i);
                if (end < 0) {
                    return false;
                }
                i = end + (text.startsWith("<?", i) ? 2 : 3);
                continue;
            }
            break;
        }
        if (text.startsWith("<!doctype", i)) {
            return text.startsWith("<!doctype html", i);
        }
        if (!text.startsWith("<", i)) {
            return false;
        }
        int nameEnd = i + 1;
        while (nameEnd < text.length() && (Character.isLetterOrDigit(text.charAt(nameEnd)) || text.charAt(nameEnd) == ':')) {
            nameEnd++;
        }
        return HTML_ELEMENTS.contains(text.substring(i + 1, nameEnd));
    }

    /**
     * Whether the head is a mail header: header lines (an optional mbox {@code From } line first) with at
     * least one name mail uses. Only complete lines count: the last one may be cut off by the head's end.
     * Scanned byte by byte: it runs on every message received.
     */
    private static boolean looksLikeMail(byte[] head, int length) {
        int n = Math.min(length, HEAD_SIZE);
        int p = 0;
        if (startsWith(head, n, "From ")) {
            p = indexOf(head, '\n', 0, n) + 1; // mbox separator line
            if (p == 0) {
                return false;
            }
        }
        int known = 0;
        boolean first = true;
        for (int e; (e = indexOf(head, '\n', p, n)) >= 0; p = e + 1) {
            int limit = e > p && head[e - 1] == '\r' ? e - 1 : e;
            if (limit == p) {
                break; // the end of the header
            }
            if (!first && (head[p] == ' ' || head[p] == '\t')) {
                continue; // a folded line
            }
            int colon = p;
            while (colon < limit && colon - p <= MAX_NAME && isNameByte(head[colon])) {
                colon++;
            }
            if (colon == p || colon - p > MAX_NAME || colon == limit || head[colon] != ':'
                    || indexOf(head, '\r', colon, limit) >= 0) {
                return false;
            }
            if (MAIL_HEADERS.contains(new String(head, p, colon - p, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT))) {
                known++;
            }
            first = false;
        }
        return known > 0;
    }

    /** A header field name byte: printable US-ASCII but the colon (RFC 5322 ftext). */
    private static boolean isNameByte(byte b) {
        return b >= '!' && b <= '~' && b != ':';
    }

    private static boolean startsWith(byte[] head, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (head[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean looksLikeBase64(byte[] head, int length) {
        StringBuilder chars = new StringBuilder(Math.min(length, HEAD_SIZE));
        for (int i = 0; i < Math.min(length, HEAD_SIZE); i++) {
            char c = (char) (head[i] & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
                    || c == '=') {
                chars.append(c);
            } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                return false;
            }
        }
        int usable = chars.indexOf("=");
        usable = usable < 0 ? chars.length() : usable;
        usable -= usable % 4;
        if (usable < 8) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(chars.substring(0, usable));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return sniff(decoded, decoded.length, false).mayHoldReport();
    }
}
