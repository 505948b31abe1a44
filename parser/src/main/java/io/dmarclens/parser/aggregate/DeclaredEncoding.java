package io.dmarclens.parser.aggregate;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The character encoding an XML document declares by its byte order mark or XML declaration. */
final class DeclaredEncoding {
    private DeclaredEncoding() {
    }

    static Charset of(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        String start = new String(head, StandardCharsets.ISO_8859_1);
        if (!start.startsWith("<?xml") && !start.startsWith("\u00EF\u00BB\u00BF<?xml")) {
            return StandardCharsets.UTF_8;
        }
        int end = start.indexOf("?>");
        int at = start.indexOf("encoding");
        if (at < 0 || (end >= 0 && at > end)) {
            return StandardCharsets.UTF_8;
        }
        int i = at + "encoding".length();
        while (i < start.length() && (start.charAt(i) == ' ' || start.charAt(i) == '=' || start.charAt(i) == '\t')) {
            i++;
        }
        if (i >= start.length() || (start.charAt(i) != '"' && start.charAt(i) != '\'')) {
            return StandardCharsets.UTF_8;
        }
        int close = start.indexOf(start.charAt(i), i + 1);
        if (close < 0) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset cs = Charset.forName(start.substring(i + 1, close).strip());
            // A declaration of UTF-16 on a document without BOM that we are reading as bytes is a lie.
            return cs.name().startsWith("UTF-16") || cs.name().startsWith("UTF-32") ? StandardCharsets.UTF_8 : cs;
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
