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
 * readable report. Exit status 0 when every file gave at least one report, 2 otherwise.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Prints each report found in the files (XML, JSON, gzip, zip, mail, base64) as one JSON "
                + "object per line.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every file held at least one report", "2:some file held no readable report"})
public final class ParseCommand implements Callable<Integer> {
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
        try (ReportJsonWriter writer = new ReportJsonWriter(out, pretty)) {
            for (Path file : files) {
                try {
                    parser.parse(file, writer);
                } catch (ReportParseException e) {
                    writer.error(e.source() != null ? e.source() : ReportSource.of(file.toString()), e.getMessage());
                    allGaveReports = false;
                }
            }
        }
        out.flush();
        return allGaveReports ? 0 : SOME_FILE_WITHOUT_REPORT;
    }
}
