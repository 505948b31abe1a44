package io.dmarclens.app.cli;

import io.dmarclens.ingest.importer.ImportSummary;
import java.io.PrintWriter;

/**
 * A one-line progress bar redrawn in place, shown only when a person watches (a console is attached);
 * silent otherwise, so logs and pipes stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    private ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static ProgressBar onTerminal(PrintWriter err) {
        return new ProgressBar(err, System.console() != null);
    }

    void update(int done, int total, ImportSummary soFar) {
        long now = System.nanoTime();
        if (!enabled || (done < total && now - lastDraw < 100_000_000L)) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " files, "
                + soFar.reports() + " reports, " + soFar.records() + " records, " + soFar.invalid().size() + " invalid ");
        err.flush();
        drawn = true;
    }

    /** A bar over {@code total} units with {@code what} after the count (e.g. "sources, 12 reports"). */
    void update(int done, int total, String what) {
        long now = System.nanoTime();
        if (!enabled || (done < total && now - lastDraw < 100_000_000L)) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what + " ");
        err.flush();
        drawn = true;
    }

    void note(String message) {
        if (enabled) {
            err.println(message);
            err.flush();
        }
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
