package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.testkit.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dmarc-lens import} end to end into a real data directory. */
class ImportCommandTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "imported (\\d+) reports \\((\\d+) records\\), duplicates (\\d+), invalid (\\d+)");

    private static String run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(expectedStatus, cli.execute(args), () -> out + "\n" + err);
        assertEquals("", err.toString(), "no progress bar without a terminal");
        return out.toString();
    }

    @Test
    void importsTheSamplesThenFindsThemAllDuplicates(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        String samples = Corpus.sampleReports().toString();

        String first = run(0, "import", "--data", data.toString(), "--offline", samples);
        Matcher m = SUMMARY.matcher(first);
        assertTrue(m.find(), first);
        int reports = Integer.parseInt(m.group(1));
        int invalid = Integer.parseInt(m.group(4));
        assertTrue(reports > 10, first);
        assertTrue(Integer.parseInt(m.group(2)) > reports, first);
        assertEquals(invalid, first.lines().filter(l -> l.startsWith("  invalid: ")).count(), "each invalid file listed");
        assertTrue(first.contains("invalid: " + Corpus.sampleReports().resolve("README.md") + ": "), first);

        String again = run(0, "import", "--data", data.toString(), "--offline", samples);
        Matcher m2 = SUMMARY.matcher(again);
        assertTrue(m2.find(), again);
        assertEquals("0", m2.group(1));
        assertEquals("0", m2.group(2));
        assertEquals(reports + Integer.parseInt(m.group(3)), Integer.parseInt(m2.group(3)));
    }

    @Test
    void aMissingPathIsAFailureWithExitStatusOne(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("empty-dir");
        Files.createDirectories(good);
        String out = run(1, "import", "--data", tmp.resolve("data").toString(), "--offline", good.toString(),
                tmp.resolve("nope.xml").toString());
        assertTrue(out.contains("imported 0 reports (0 records), duplicates 0, invalid 0, failed 1"), out);
        assertTrue(out.contains("failed: " + tmp.resolve("nope.xml") + ": no such file or directory"), out);
    }
}
