package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.demo.AggregateReportGenerator;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench parse} generates, parses and checks a report; the figures themselves are not asserted. */
class BenchParseCommandTest {

    @Test
    void generatesBothFilesParsesThemAndPrintsRates(@TempDir Path dir) throws Exception {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(text, true));
        int status = cli.execute("bench", "parse", "--records", "500", "--warmup", "0", "--iterations", "2", "--dir", dir.toString());
        String out = text.toString();
        assertEquals(0, status, out);
        assertTrue(out.contains("generated 500 records"), out);
        assertTrue(out.matches("(?s).*\\.xml +wall: +[0-9,]+ records/s median.*"), out);
        assertTrue(out.matches("(?s).*\\.xml\\.gz +CPU: +[0-9,]+ records per CPU-second.*"), out);
        assertTrue(Files.size(dir.resolve("bench-aggregate-500.xml")) > Files.size(dir.resolve("bench-aggregate-500.xml.gz")));
    }

    @Test
    void theGeneratedReportIsVariedAndReadsWithoutWarnings() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AggregateReportGenerator.Totals totals = new AggregateReportGenerator(7).write(bytes, 2_000);
        Set<String> ips = new HashSet<>();
        Set<AuthResult> spf = EnumSet.noneOf(AuthResult.class);
        long[] counted = new long[2];
        boolean[] sawIpv6AndReason = new boolean[2];
        List<List<ParseWarning>> warnings = new java.util.ArrayList<>();
        new AggregateXmlParser(ParserLimits.DEFAULT).parse(ReportSource.of("gen.xml"),
                () -> new ByteArrayInputStream(bytes.toByteArray()), new ReportHandler() {
                    @Override
                    public void beginAggregate(AggregateHeader header) {
                    }

                    @Override
                    public void record(AggregateRecord r) {
                        counted[0]++;
                        counted[1] += r.count();
                        ips.add(r.sourceIp());
                        r.spfResults().forEach(s -> spf.add(s.result()));
                        sawIpv6AndReason[0] |= r.sourceIp().contains(":");
                        sawIpv6AndReason[1] |= !r.reasons().isEmpty();
                    }

                    @Override
                    public void endAggregate(List<ParseWarning> w) {
                        warnings.add(w);
                    }

                    @Override
                    public void endPartialAggregate(List<ParseWarning> w, io.dmarclens.parser.Truncation truncation) {
                        throw new AssertionError("the generated report is cut off: " + truncation);
                    }

                    @Override
                    public void failure(FailureReport report) {
                    }

                    @Override
                    public void tls(TlsReport report) {
                    }
                });
        assertEquals(List.of(List.of()), warnings);
        assertEquals(totals.records(), counted[0]);
        assertEquals(totals.messages(), counted[1]);
        assertTrue(ips.size() > 1_500, "distinct IPs: " + ips.size());
        assertTrue(spf.containsAll(EnumSet.of(AuthResult.PASS, AuthResult.FAIL, AuthResult.SOFTFAIL)), spf.toString());
        assertTrue(sawIpv6AndReason[0] && sawIpv6AndReason[1]);
    }
}
