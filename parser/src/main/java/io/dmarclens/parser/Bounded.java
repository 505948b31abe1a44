package io.dmarclens.parser;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Text made from strangers' input, cut to a size that cannot grow with the input: a reason, a warning,
 * a log line. What is cut is counted ("… (N more characters)", "… (N more)"), never silently dropped,
 * so the reader knows there was more and how much.
 */
public final class Bounded {
    /** Characters of one reason (a quarantine reason, an ingest log detail) at most. */
    public static final int REASON = 2_000;
    /** Characters of one item of a list inside a reason (one part's failure, one warning) at most. */
    public static final int ITEM = 300;
    /** Characters of one unreadable part's line (which part, and why it could not be read) at most. */
    public static final int PART = 500;
    /** Items of a list inside a reason (parts that failed, media types) listed before the count of the rest. */
    public static final int LISTED = 10;

    private Bounded() {
    }

    /**
     * {@code text} when it has at most {@code max} characters; otherwise its start, then
     * {@code "… (N more characters)"}. The result never has more than {@code max} characters (for
     * {@code max} of 40 or more) and never splits a surrogate pair. Null stays null.
     */
    public static String text(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        // The suffix's length depends on the count it holds; the count only shrinks as the kept part grows.
        int keep = Math.max(0, max - cutSuffix(text.length()).length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        return text.substring(0, keep) + cutSuffix(text.length() - keep);
    }

    private static String cutSuffix(int cut) {
        return String.format(Locale.ROOT, "\u2026 (%,d more characters)", cut);
    }

    /**
     * The first {@link #LISTED} items, each cut to {@link #ITEM} characters, joined with {@code separator},
     * then {@code "… (N more)"} for the rest; the whole cut to {@link #REASON} characters.
     */
    public static String join(Collection<String> items, String separator) {
        return join(items, separator, LISTED, ITEM, REASON);
    }

    /** As {@link #join(Collection, String)} with the given bounds. */
    public static String join(Collection<String> items, String separator, int maxItems, int maxItem, int max) {
        StringBuilder b = new StringBuilder();
        int listed = 0;
        Iterator<String> it = items.iterator();
        while (it.hasNext() && listed < maxItems) {
            if (listed > 0) {
                b.append(separator);
            }
            b.append(text(it.next(), maxItem));
            listed++;
        }
        int rest = items.size() - listed;
        if (rest > 0) {
            b.append(String.format(Locale.ROOT, " \u2026 (%,d more)", rest));
        }
        return text(b.toString(), max);
    }

    /**
     * At most {@code maxItems} items, each cut to {@code maxItem} characters; when items were left out,
     * the last one says how many ({@code "… (N more)"}). The list returned cannot be changed.
     */
    public static List<String> list(List<String> items, int maxItems, int maxItem) {
        boolean cut = items.size() > maxItems;
        int listed = cut ? Math.max(0, maxItems - 1) : items.size();
        List<String> out = new ArrayList<>(listed + 1);
        for (int i = 0; i < listed; i++) {
            out.add(text(items.get(i), maxItem));
        }
        if (cut) {
            out.add(String.format(Locale.ROOT, "\u2026 (%,d more)", items.size() - listed));
        }
        return List.copyOf(out);
    }
}
