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
            "imported (\\d+) reports \\((\\d+) records\\), partial (\\d+), duplicates (\\d+), invalid (\\d+)");

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
        int invalid = Integer.parseInt(m.group(5));
        assertTrue(reports > 10, first);
        assertTrue(Integer.parseInt(m.group(2)) > reports, first);
        assertEquals(invalid, first.lines().filter(l -> l.startsWith("  invalid: ")).count(), "each invalid file listed");
        assertTrue(first.contains("invalid: " + Corpus.sampleReports().resolve("README.md") + ": "), first);

        String again = run(0, "import", "--data", data.toString(), "--offline", samples);
        Matcher m2 = SUMMARY.matcher(again);
        assertTrue(m2.find(), again);
        assertEquals("0", m2.group(1));
        assertEquals("0", m2.group(2));
        assertEquals(reports + Integer.parseInt(m.group(4)), Integer.parseInt(m2.group(4)));
    }

    @Test
    void aCutCopyIsImportedAsPartialAndTheCompleteCopyReplacesIt(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        byte[] xml = io.dmarclens.parser.ContainerFixtures.aggregateXml("cut-1", "example.com", 50);
        Path cut = Files.write(tmp.resolve("cut.xml"), java.util.Arrays.copyOf(xml, 3000));
        Path whole = Files.write(tmp.resolve("whole.xml.gz"), io.dmarclens.parser.ContainerFixtures.gzip(xml));

        String first = run(0, "import", "--data", data.toString(), "--offline", cut.toString());
        Matcher m = SUMMARY.matcher(first);
        assertTrue(m.find(), first);
        assertEquals("1", m.group(1));
        assertEquals("1", m.group(3), "one partial report");
        int salvaged = Integer.parseInt(m.group(2));
        assertTrue(salvaged > 0 && salvaged < 50, first);
        assertTrue(first.contains("  partial: " + cut + ": " + cut + ": the XML cannot be read past line "), first);

        String complete = run(0, "import", "--data", data.toString(), "--offline", whole.toString());
        assertTrue(complete.startsWith("imported 1 reports (50 records), partial 0, duplicates 0, invalid 0"), complete);

        String again = run(0, "import", "--data", data.toString(), "--offline", cut.toString(), whole.toString());
        assertTrue(again.startsWith("imported 0 reports (0 records), partial 0, duplicates 2, invalid 0"), again);
    }

    @Test
    void aMissingPathIsAFailureWithExitStatusOne(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("empty-dir");
        Files.createDirectories(good);
        String out = run(1, "import", "--data", tmp.resolve("data").toString(), "--offline", good.toString(),
                tmp.resolve("nope.xml").toString());
        assertTrue(out.contains("imported 0 reports (0 records), partial 0, duplicates 0, invalid 0, failed 1"), out);
        assertTrue(out.contains("failed: " + tmp.resolve("nope.xml") + ": no such file or directory"), out);
    }
}
