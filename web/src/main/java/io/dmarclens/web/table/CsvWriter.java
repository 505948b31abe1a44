package io.dmarclens.web.table;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The one CSV writer of the program (the dashboard's exports and the {@code export} and {@code search}
 * commands): RFC 4180 quoting by commons-csv, a header row, and every text cell that a spreadsheet would
 * run as a formula kept as text. Report values are written by strangers, and {@code =cmd|' /c calc'!a0}
 * in a report's {@code org_name} must reach a spreadsheet as text.
 */
public final class CsvWriter implements Closeable, Flushable {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9.]*");
    private final CSVPrinter printer;

    /** Starts the file with the header row; closing it flushes but leaves {@code out} open. */
    public CsvWriter(Writer out, List<String> header) {
        try {
            printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                    .setHeader(header.toArray(String[]::new)).setAutoFlush(false).get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one row; numbers and booleans as they are, everything else as neutralised text, null empty. */
    public void row(List<?> values) {
        try {
            for (Object v : values) {
                printer.print(v == null ? "" : v instanceof Number || v instanceof Boolean ? v.toString() : neutralise(v.toString()));
            }
            printer.println();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A text cell a spreadsheet will not run: a cell starting with {@code = + - @}, a tab or a carriage
     * return gets a leading apostrophe (OWASP's advice), unless it is a plain (negative) number.
     */
    public static String neutralise(String s) {
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !NUMBER.matcher(s).matches()) {
            return "'" + s;
        }
        return s;
    }

    @Override
    public void flush() {
        try {
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        flush();
    }
}
