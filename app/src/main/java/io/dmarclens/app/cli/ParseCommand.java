package io.dmarclens.app.cli;

import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.json.ReportJsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc-lens parse [--pretty] FILE...}: prints every report found in the files as one JSON object
 * per line, and an error line ({@code {"source": ..., "error": ...}}) for each file or part that holds no
 * readable report. A report whose input stops before its end is printed as far as it could be read, marked
 * {@code "partial": true}, followed by an error line saying where it stops and why. Exit status 0 when every
 * file gave whole reports, 1 when some report was partial, 2 when some file held no readable report.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Prints each report found in the files (XML, JSON, gzip, zip, mail, base64) as one JSON "
                + "object per line.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every file held whole reports", "1:some report was cut off (printed as partial)",
                "2:some file held no readable report"})
public final class ParseCommand implements Callable<Integer> {
    static final int SOME_REPORT_PARTIAL = 1;
    static final int SOME_FILE_WITHOUT_REPORT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--pretty", description = "Indent the JSON (one object then spans several lines).")
    boolean pretty;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Report files: .xml, .json, .gz, .zip, .eml...")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ReportParser parser = new ReportParser();
        boolean allGaveReports = true;
        boolean somePartial = false;
        try (ReportJsonWriter writer = new ReportJsonWriter(out, pretty)) {
            for (Path file : files) {
                try {
                    somePartial |= parser.parse(file, writer).partial() > 0;
                } catch (ReportParseException e) {
                    writer.error(e.source() != null ? e.source() : ReportSource.of(file.toString()), e.getMessage());
                    allGaveReports = false;
                }
            }
        }
        out.flush();
        if (!allGaveReports) {
            return SOME_FILE_WITHOUT_REPORT;
        }
        return somePartial ? SOME_REPORT_PARTIAL : 0;
    }
}
