package io.dmarclens.parser.container;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads every member of a zip archive (Google sends its reports zipped; other senders put several reports
 * in one archive). The end-of-central-directory record is checked first: its absence means the archive
 * was cut off, and its member count is held against {@link io.dmarclens.parser.ParserLimits#maxZipMembers()}
 * before anything is inflated. An archive cut off before its directory is read member by member up to
 * the cut; the member the cut falls in is read as far as it goes, and its report is partial.
 */
final class ZipReader {
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;

    private final ContainerWalk walk;

    ZipReader(ContainerWalk walk) {
        this.walk = walk;
    }

    void read(ReportSource source, Payload zip, int depth) throws ReportParseException {
        int maxMembers = walk.limits().maxZipMembers();
        int declared;
        String noEnd = null;
        try {
            declared = declaredMembers(source, zip);
        } catch (ReportParseException e) {
            // Cut off before its directory: the members before the cut are still read from their own
            // headers (the member count is then held against the limit as they come).
            noEnd = e.getMessage();
            declared = 0;
        }
        if (declared > maxMembers) {
            throw new LimitExceededException(source, String.format(Locale.ROOT,
                    "zip archive has %,d members, more than the limit of %,d", declared, maxMembers));
        }
        PartOutcomes outcomes = new PartOutcomes(source, walk.out());
        int members = 0;
        // Names are only shown, never used as paths; ISO-8859-1 reads any legacy name without failing.
        try (ZipInputStream in = new ZipInputStream(zip.open(), StandardCharsets.ISO_8859_1)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                members++;
                String name = entry.getName();
                ReportSource child = source.child(name);
                if (members > maxMembers) {
                    outcomes.failed(name, new LimitExceededException(source, String.format(Locale.ROOT,
                            "zip archive has more than %,d members; the rest was not read", maxMembers)));
                    break;
                }
                walk.budget().checkNotExhausted();
                InputStream body = walk.budget().charge(new Unclosable(in));
                if (!walk.readPart(child, name, "zip member", name, body, depth, outcomes)) {
                    break; // the inflater is out of step: nothing after this member can be read
                }
                // Skipping a member inflates it too, so the skipped bytes count against the budget.
                body.transferTo(OutputStream.nullOutputStream());
            }
        } catch (LimitExceededIOException e) {
            outcomes.failed("zip archive", new LimitExceededException(source, e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            outcomes.failed("zip archive", new ReportParseException(source, "zip archive is damaged"
                    + (members > 0 ? " after member " + members : "") + ": " + e.getMessage(), e));
        }
        if (noEnd != null && !outcomes.gaveReports()) {
            throw new ReportParseException(source, noEnd);
        }
        if (!outcomes.settle("zip archive")) {
            throw new ReportParseException(source, members == 0
                    ? "zip archive holds no report: it has no members"
                    : "zip archive holds no report: members " + Bounded.join(outcomes.others(), ", "));
        }
    }

    /** The member count the end-of-central-directory record declares; fails when there is none. */
    private static int declaredMembers(ReportSource source, Payload zip) throws ReportParseException {
        byte[] tail;
        try {
            tail = zip.tail(EOCD_SIZE + MAX_COMMENT);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the zip archive: " + e.getMessage(), e);
        }
        for (int i = tail.length - EOCD_SIZE; i >= 0; i--) {
            if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6) {
                return (tail[i + 10] & 0xff) | (tail[i + 11] & 0xff) << 8;
            }
        }
        throw new ReportParseException(source, String.format(Locale.ROOT,
                "zip archive truncated or damaged: no end-of-central-directory record in its %,d bytes",
                zip.size()));
    }

    /** Lets a member be read through wrappers without their close() ending the whole archive. */
    private static final class Unclosable extends java.io.FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
