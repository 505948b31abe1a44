package io.dmarclens.parser;

import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.container.ContainerWalk;
import io.dmarclens.parser.container.DeliveryCounter;
import io.dmarclens.parser.container.Payload;
import io.dmarclens.parser.container.PayloadSpooler;
import io.dmarclens.parser.failure.FailureReportParser;
import io.dmarclens.parser.tlsrpt.TlsReportParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads any input that may hold DMARC aggregate, failure or SMTP TLS reports: a bare XML or JSON
 * report, gzip, zip, a whole mail, base64 text, or these inside each other, told apart by their bytes.
 * Reports are streamed to a {@link ReportHandler}; parts that cannot be read go to
 * {@link ReportHandler#unreadable}, and an input with no report at all fails with a
 * {@link ReportParseException} that says why. Safe on hostile input within {@link ParserLimits}.
 *
 * <pre>{@code
 * ParseSummary summary = new ReportParser().parse(Path.of("report.eml"), handler);
 * List<Report> reports = new ReportParser().parseAll("report.xml.gz", bytes);
 * }</pre>
 *
 * Thread-safe: every call works on its own state.
 */
public final class ReportParser {
    private final ParserLimits limits;
    private final PayloadSpooler spooler;
    private final AggregateXmlParser xmlParser;
    private final FailureReportParser failureParser;
    private final TlsReportParser tlsParser;

    public ReportParser() {
        this(ParserLimits.DEFAULT);
    }

    public ReportParser(ParserLimits limits) {
        this(limits, new PayloadSpooler());
    }

    /** @param spooler where big payloads are spooled while they are read */
    public ReportParser(ParserLimits limits, PayloadSpooler spooler) {
        this(limits, spooler, new AggregateXmlParser(limits));
    }

    /** With the given aggregate XML parser: tests read every file with and without the byte scanner. */
    ReportParser(ParserLimits limits, PayloadSpooler spooler, AggregateXmlParser xmlParser) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.spooler = Objects.requireNonNull(spooler, "spooler");
        this.xmlParser = Objects.requireNonNull(xmlParser, "xmlParser");
        this.failureParser = new FailureReportParser(limits);
        this.tlsParser = new TlsReportParser(limits);
    }

    public ParserLimits limits() {
        return limits;
    }

    /**
     * Reads one input from a stream (not closed here).
     *
     * @throws ReportParseException when the input holds no readable report; the message says why
     */
    public ParseSummary parse(ReportSource source, InputStream in, ReportHandler handler) throws ReportParseException {
        DeliveryCounter counter = new DeliveryCounter(handler);
        walk(counter).read(source, in);
        return summary(source, counter);
    }

    /** Reads one file in place, named by its path in every {@link ReportSource}. */
    public ParseSummary parse(Path file, ReportHandler handler) throws ReportParseException {
        ReportSource source = ReportSource.of(file.toString());
        Payload payload;
        try {
            payload = Payload.ofFile(file);
        } catch (NoSuchFileException e) {
            throw new ReportParseException(source, "no such file");
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the file: " + e.getMessage(), e);
        }
        if (Files.isDirectory(file)) {
            throw new ReportParseException(source, "is a directory, not a file");
        }
        DeliveryCounter counter = new DeliveryCounter(handler);
        walk(counter).read(source, payload);
        return summary(source, counter);
    }

    /** Every report of a small input, held in memory. */
    public List<Report> parseAll(String name, byte[] data) throws ReportParseException {
        ReportCollector collector = new ReportCollector();
        parse(ReportSource.of(name), new ByteArrayInputStream(data), collector);
        return collector.reports();
    }

    /** Every report of a small file, held in memory. */
    public List<Report> parseAll(Path file) throws ReportParseException {
        ReportCollector collector = new ReportCollector();
        parse(file, collector);
        return collector.reports();
    }

    private ContainerWalk walk(DeliveryCounter counter) {
        return new ContainerWalk(limits, spooler, xmlParser, failureParser, tlsParser, counter);
    }

    private static ParseSummary summary(ReportSource source, DeliveryCounter counter) throws ReportParseException {
        if (counter.reports() == 0) {
            // Containers throw when nothing in them was a report; this guards the contract regardless.
            throw new ReportParseException(source, "the input holds no report");
        }
        return new ParseSummary(counter.reports(), counter.records(), counter.messages(),
                counter.unreadableParts().stream()
                        .map(u -> new ParseSummary.UnreadablePart(u.source(), u.reason())).toList(),
                counter.partialReports());
    }
}
