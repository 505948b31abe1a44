package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.ParseWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * The warnings of one report, bounded: a report of a million broken records must not hold a million
 * warnings in memory, nor a warning quoting a value of 64 KiB in full. Past the cap, warnings are counted and summed up in one closing warning, so none
 * disappears without a trace.
 */
final class WarningLog {
    static final int MAX_LISTED = 1_000;

    private final List<ParseWarning> warnings = new ArrayList<>();
    private long unlisted;

    void add(String location, String message) {
        if (warnings.size() < MAX_LISTED) {
            warnings.add(new ParseWarning(Bounded.text(location, Bounded.ITEM), Bounded.text(message, Bounded.ITEM)));
        } else {
            unlisted++;
        }
    }

    /** A warning about element {@code path} of record {@code index}, e.g. "record 3 auth_results/spf/result". */
    void record(int index, String path, String message) {
        if (warnings.size() < MAX_LISTED) {
            warnings.add(new ParseWarning("record " + index + " " + Bounded.text(path, Bounded.ITEM),
                    Bounded.text(message, Bounded.ITEM)));
        } else {
            unlisted++;
        }
    }

    boolean isEmpty() {
        return warnings.isEmpty();
    }

    List<ParseWarning> snapshot() {
        List<ParseWarning> all = new ArrayList<>(warnings);
        if (unlisted > 0) {
            all.add(new ParseWarning("", unlisted + " more warnings like the ones above were not listed"));
        }
        return all;
    }
}
