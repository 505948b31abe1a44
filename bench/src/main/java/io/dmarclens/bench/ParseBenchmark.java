package io.dmarclens.bench;

import io.dmarclens.demo.AggregateReportGenerator;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.container.PayloadOpener;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.BufferedInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Times {@link AggregateXmlParser} on one file: each run streams every record to a handler that keeps
 * nothing but counts, and is checked against the totals the generator wrote.
 */
public final class ParseBenchmark {
    private final AggregateXmlParser parser = new AggregateXmlParser(ParserLimits.DEFAULT);
    private final AggregateReportGenerator.Totals expected;

    public ParseBenchmark(AggregateReportGenerator.Totals expected) {
        this.expected = expected;
    }

    /** Wall-clock and CPU time of one run, in nanoseconds. */
    public record Timing(long wallNanos, long cpuNanos) {
    }

    /**
     * Parses {@code file} once (gunzipping {@code .gz}) on the calling thread. CPU time is measured
     * beside wall time because the benchmark machine may be shared: CPU time shows the parser's cost
     * alone, wall time what a user waits for.
     */
    public Timing runOnce(Path file) throws ReportParseException {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        PayloadOpener opener = () -> {
            BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return gzip ? new GZIPInputStream(in, 1 << 16) : in;
        };
        CountingHandler handler = new CountingHandler();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        parser.parse(ReportSource.of(file.getFileName().toString()), opener, handler);
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (handler.records != expected.records() || handler.messages != expected.messages() || handler.ends != 1) {
            throw new IllegalStateException("parse of " + file + " gave " + handler.records + " records and "
                    + handler.messages + " messages in " + handler.ends + " reports; expected " + expected);
        }
        if (!handler.warnings.isEmpty()) {
            throw new IllegalStateException("parse of " + file + " warned: " + handler.warnings.get(0));
        }
        return new Timing(elapsed, cpu);
    }

    /** Keeps counts only, so that the measured memory is the parser's. */
    private static final class CountingHandler implements ReportHandler {
        long records;
        long messages;
        int ends;
        List<ParseWarning> warnings = List.of();

        @Override
        public void beginAggregate(AggregateHeader header) {
        }

        @Override
        public void record(AggregateRecord record) {
            records++;
            messages += record.count();
        }

        @Override
        public void endAggregate(List<ParseWarning> w) {
            ends++;
            warnings = w;
        }

        /** A benchmark report is generated whole: one cut short is counted like any other (its warnings say so). */
        @Override
        public void endPartialAggregate(List<ParseWarning> w, io.dmarclens.parser.Truncation truncation) {
            endAggregate(w);
        }

        @Override
        public void failure(FailureReport report) {
        }

        @Override
        public void tls(TlsReport report) {
        }
    }

    /** Median, fastest and slowest of measured rates. */
    public record Rates(double median, double min, double max) {
        public static Rates of(double[] values) {
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Rates(median, v[0], v[v.length - 1]);
        }
    }
}
