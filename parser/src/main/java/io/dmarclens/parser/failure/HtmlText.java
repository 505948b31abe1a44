package io.dmarclens.parser.failure;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of an HTML-only notice: enough to find "Name: value" lines and prose, no more.
 * One pass over the characters (no regular expression over tags), so hostile markup such as
 * thousands of unclosed {@code <} costs linear time.
 */
final class HtmlText {
    private static final Pattern NUMERIC = Pattern.compile("&#([xX]?)([0-9A-Fa-f]{1,6});");

    private HtmlText() {
    }

    static String strip(String html) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 16));
        String lower = html.toLowerCase(Locale.ROOT);
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c != '<') {
                out.append(c);
                i++;
                continue;
            }
            int end = html.indexOf('>', i);
            if (end < 0) {
                break; // an unclosed tag runs to the end: nothing readable follows
            }
            String tag = tagName(lower, i + 1, end);
            if (tag.equals("script") || tag.equals("style") || tag.equals("head")) {
                int close = lower.indexOf("</" + tag, end);
                int closeEnd = close < 0 ? -1 : html.indexOf('>', close);
                i = closeEnd < 0 ? n : closeEnd + 1;
                continue;
            }
            if (tag.equals("br") || tag.equals("/p") || tag.equals("/div") || tag.equals("/tr") || tag.equals("/li")
                    || tag.matches("/h[1-6]")) {
                out.append('\n');
            }
            i = end + 1;
        }
        return entities(out.toString());
    }

    private static String tagName(String lower, int from, int end) {
        int i = from;
        while (i < end && (Character.isLetterOrDigit(lower.charAt(i)) || lower.charAt(i) == '/')) {
            i++;
        }
        return lower.substring(from, i);
    }

    private static String entities(String s) {
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
