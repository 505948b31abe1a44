package io.dmarclens.parser.failure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The readable text of an HTML-only notice: enough to find "Name: value" lines and prose, no more. */
final class HtmlText {
    private static final Pattern HIDDEN = Pattern.compile("(?is)<(script|style|head)\\b.*?</\\1\\s*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<(br|/p|/div|/tr|/li|/h[1-6])\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern NUMERIC = Pattern.compile("&#(x?)([0-9A-Fa-f]{1,6});");

    private HtmlText() {
    }

    static String strip(String html) {
        String s = HIDDEN.matcher(html).replaceAll(" ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        Matcher m = NUMERIC.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int cp;
            try {
                cp = Integer.parseInt(m.group(2), m.group(1).isEmpty() ? 10 : 16);
            } catch (NumberFormatException e) {
                cp = '?';
            }
            m.appendReplacement(out, Matcher.quoteReplacement(Character.isValidCodePoint(cp)
                    ? new String(Character.toChars(cp)) : "?"));
        }
        m.appendTail(out);
        return out.toString().replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }
}
