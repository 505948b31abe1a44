package io.dmarclens.web.pages;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the local part of e-mail addresses in failure report samples (they name real people), keeping
 * the first character and the domain so that the user still sees who was spoofed where.
 */
public final class Redaction {
    private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ADDRESS.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1).charAt(0) + "\u2026@" + m.group(2)));
        }
        m.appendTail(b);
        return b.toString();
    }

    public static String apply(String text, boolean reveal) {
        return reveal ? text : redact(text);
    }

    public static List<String> apply(List<String> texts, boolean reveal) {
        return texts == null ? List.of() : texts.stream().map(t -> apply(t, reveal)).toList();
    }
}
