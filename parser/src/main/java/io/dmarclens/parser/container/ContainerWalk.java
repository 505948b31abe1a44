package io.dmarclens.parser.container;

import io.dmarclens.parser.HandlerFailure;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateXmlParser;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.FailureReportParser;
import io.dmarclens.parser.tlsrpt.TlsReportParser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * One walk through one input: finds what each payload is by its bytes, opens containers (gzip, zip,
 * mail, base64) down to {@link ParserLimits#maxNestingDepth()}, and hands each report document to its
 * parser. Decompressed bytes of the whole input are charged to one {@link ByteBudget}. Not thread-safe;
 * make one per input.
 */
public final class ContainerWalk {
    private final ParserLimits limits;
    private final PayloadSpooler spooler;
    private final AggregateXmlParser xmlParser;
    private final FailureReportParser failureParser;
    private final TlsReportParser tlsParser;
    private final DeliveryCounter out;
    private final ByteBudget budget;
    private final MailReader mailReader;
    private final ZipReader zipReader;
    private int mailParts;

    public ContainerWalk(ParserLimits limits, PayloadSpooler spooler, AggregateXmlParser xmlParser,
                         FailureReportParser failureParser, TlsReportParser tlsParser, DeliveryCounter out) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.spooler = Objects.requireNonNull(spooler, "spooler");
        this.xmlParser = Objects.requireNonNull(xmlParser, "xmlParser");
        this.failureParser = Objects.requireNonNull(failureParser, "failureParser");
        this.tlsParser = Objects.requireNonNull(tlsParser, "tlsParser");
        this.out = Objects.requireNonNull(out, "out");
        this.budget = new ByteBudget(limits.maxDecompressedBytes());
        this.mailReader = new MailReader(this);
        this.zipReader = new ZipReader(this);
    }

    /** Reads an input given as a stream (read once, spooled only when it may hold a report). */
    public void read(ReportSource source, InputStream in) throws ReportParseException {
        Head head;
        try {
            head = Head.read(in);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the input: " + e.getMessage(), e);
        }
        checkTopLevel(source, head.kind(), head.bytes(), head.length());
        Payload payload;
        try {
            payload = spooler.spool(head.bytes(), head.length(), in);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the input: " + e.getMessage(), e);
        }
        try (payload) {
            dispatch(source, payload, 0);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot remove a temporary file: " + e.getMessage(), e);
        }
    }

    /** Reads an input that can be re-read in place (a file). */
    public void read(ReportSource source, Payload payload) throws ReportParseException {
        try {
            byte[] head = payload.head();
            checkTopLevel(source, payload.kind(), head, head.length);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the input: " + e.getMessage(), e);
        }
        dispatch(source, payload, 0);
    }

    private static void checkTopLevel(ReportSource source, ContentKind kind, byte[] head, int length)
            throws ReportParseException {
        if (kind == ContentKind.EMPTY) {
            throw new ReportParseException(source, "zero-byte input");
        }
        if (kind == ContentKind.UNKNOWN) {
            throw new ReportParseException(source, "not a report: the content is none of gzip, zip, XML, JSON, "
                    + "mail or base64 (it starts with " + ContentSniffer.describeStart(head, length) + ")");
        }
    }

    /** Reads one payload whose kind is known to be worth reading, {@code depth} containers deep. */
    void dispatch(ReportSource source, Payload payload, int depth) throws ReportParseException {
        ContentKind kind;
        try {
            kind = payload.kind();
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read: " + e.getMessage(), e);
        }
        try {
            switch (kind) {
                case GZIP -> gunzip(source, payload, depth);
                case ZIP -> zipReader.read(source, payload, depth);
                case EMPTY_ZIP -> throw new ReportParseException(source, "zip archive is empty: it has no members");
                case XML, HTML -> readXml(source, payload);
                case JSON -> readJson(source, payload);
                case MAIL -> mailReader.read(source, payload, depth);
                case BASE64 -> decodeBase64(source, payload, depth);
                case EMPTY -> throw new ReportParseException(source, "zero-byte input");
                default -> throw new ReportParseException(source, "not a report");
            }
        } catch (HandlerFailure e) {
            throw e; // the handler's failure, not the input's: the caller keeps the input and tries again
        } catch (RuntimeException e) {
            // A library failing on strange input must cost this part only, never the neighbours.
            out.abortIfOpen(e.toString());
            throw new ReportParseException(source, "cannot read this " + kind.name().toLowerCase(Locale.ROOT)
                    + " content: " + e, e);
        }
    }

    /**
     * Reads a part of a container from a stream: when its content may hold a report it is spooled and read
     * (failures go to {@code outcomes}), otherwise it is described to {@code outcomes} as no report.
     *
     * @param what        what the part is, for messages ("zip member", "mail part")
     * @param description how the part is listed when it holds no report (a media type, a member name)
     * @return false when the part's bytes could not be read to their end (the container is broken there)
     */
    boolean readPart(ReportSource source, String name, String what, String description, InputStream body,
                     int depth, PartOutcomes outcomes) {
        Head head;
        Payload payload;
        CutGuard guard = new CutGuard(body, what, null);
        try {
            checkDepth(source, depth + 1);
            head = Head.read(guard);
            if (!head.kind().mayHoldReport()) {
                if (guard.cut() != null) {
                    outcomes.failed(name, new ReportParseException(source, guard.cut()));
                    return false;
                }
                outcomes.notAReport(head.kind() == ContentKind.EMPTY ? description + " (empty)" : description);
                return true;
            }
            payload = spooler.spool(head.bytes(), head.length(), guard);
        } catch (LimitExceededException e) {
            outcomes.failed(name, e);
            return true;
        } catch (LimitExceededIOException e) {
            outcomes.failed(name, new LimitExceededException(source, e.getMessage()));
            return false;
        } catch (EOFException e) {
            outcomes.failed(name, new ReportParseException(source, what + " is truncated: the data ends inside it", e));
            return false;
        } catch (IOException e) {
            outcomes.failed(name, new ReportParseException(source, what + " is damaged: " + e.getMessage(), e));
            return false;
        }
        try (payload) {
            dispatchCut(source, payload, depth + 1, guard.cut());
        } catch (ReportParseException e) {
            outcomes.failed(name, e);
        } catch (IOException e) {
            outcomes.failed(name, new ReportParseException(source, "cannot remove a temporary file: "
                    + e.getMessage(), e));
        }
        return guard.cut() == null;
    }

    void checkDepth(ReportSource source, int depth) throws LimitExceededException {
        if (depth > limits.maxNestingDepth()) {
            throw new LimitExceededException(source, String.format(Locale.ROOT,
                    "containers nested more than %d levels deep (zip, gzip, mail or base64 inside each other)",
                    limits.maxNestingDepth()));
        }
    }

    private void gunzip(ReportSource source, Payload payload, int depth) throws ReportParseException {
        checkDepth(source, depth + 1);
        Payload inner;
        CountingInputStream raw = null;
        CutGuard guard = null;
        try {
            budget.checkNotExhausted();
            raw = new CountingInputStream(payload.open());
            // raw is listed too: it must be closed even when the gzip header itself is unreadable.
            try (CountingInputStream compressed = raw;
                 InputStream in = budget.charge(guard = new CutGuard(new GZIPInputStream(compressed, 64 * 1024),
                         "gzip stream", compressed))) {
                Head head = Head.read(in);
                if (!head.kind().mayHoldReport()) {
                    if (guard.cut() != null) {
                        throw new ReportParseException(source, guard.cut()
                                + (head.length() == 0 ? "" : "; nothing before the cut could be read"));
                    }
                    throw new ReportParseException(source, head.kind() == ContentKind.EMPTY
                            ? "gzip stream is empty: it decompresses to zero bytes"
                            : "gzip stream holds no report: its content starts with "
                            + ContentSniffer.describeStart(head.bytes(), head.length()));
                }
                inner = spooler.spool(head.bytes(), head.length(), in);
            }
        } catch (LimitExceededIOException e) {
            throw new LimitExceededException(source, e.getMessage());
        } catch (EOFException e) {
            throw new ReportParseException(source, String.format(Locale.ROOT,
                    "gzip stream truncated after %,d bytes", raw == null ? 0 : raw.count()), e);
        } catch (IOException e) {
            throw new ReportParseException(source, String.format(Locale.ROOT,
                    "gzip stream damaged after %,d bytes: %s", raw == null ? 0 : raw.count(), e.getMessage()), e);
        }
        try (inner) {
            dispatchCut(source, inner, depth + 1, guard.cut());
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot remove a temporary file: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a payload that was decoded up to where its container's bytes stop ({@code cut} says why; null
     * when they did not): the reports it gives are delivered as partial. When nothing in it can be read,
     * the error says the bytes were cut off as well as why nothing was read.
     */
    private void dispatchCut(ReportSource source, Payload inner, int depth, String cut) throws ReportParseException {
        if (cut == null) {
            dispatch(source, inner, depth);
            return;
        }
        Truncation before = out.cutShort(out.cut() == null ? new Truncation(cut) : out.cut().and(cut));
        try {
            dispatch(source, inner, depth);
        } catch (ReportParseException e) {
            if (e instanceof LimitExceededException) {
                throw e;
            }
            throw new ReportParseException(source, cut + "; nothing before the cut could be read (" + e.getMessage()
                    + ")", e);
        } finally {
            out.cutShort(before);
        }
    }

    private void decodeBase64(ReportSource source, Payload payload, int depth) throws ReportParseException {
        checkDepth(source, depth + 1);
        Payload inner;
        try (InputStream in = Base64.getMimeDecoder().wrap(payload.open())) {
            Head head = Head.read(in);
            if (!head.kind().mayHoldReport()) {
                throw new ReportParseException(source, "base64 text holds no report: it decodes to "
                        + ContentSniffer.describeStart(head.bytes(), head.length()));
            }
            inner = spooler.spool(head.bytes(), head.length(), in);
        } catch (IOException e) {
            throw new ReportParseException(source, "base64 text is damaged: " + e.getMessage(), e);
        }
        try (inner) {
            dispatch(source, inner, depth + 1);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot remove a temporary file: " + e.getMessage(), e);
        }
    }

    private void readXml(ReportSource source, Payload payload) throws ReportParseException {
        int before = out.reports();
        try {
            xmlParser.parse(source, payload, out);
        } catch (ReportParseException e) {
            out.abortIfOpen(e.getMessage());
            throw e;
        } catch (HandlerFailure e) {
            throw e; // the handler's failure, not the input's: the caller keeps the input and tries again
        } catch (RuntimeException e) {
            // A bug in a parser must cost this part, not the whole input and its neighbours.
            out.abortIfOpen(e.toString());
            throw new ReportParseException(source, "the XML parser failed: " + e, e);
        }
        out.abortIfOpen("the XML parser ended without finishing the report");
        if (out.reports() == before) {
            String reason = out.lastAbortReason();
            throw new ReportParseException(source, reason != null ? reason : "the XML document holds no report");
        }
    }

    private void readJson(ReportSource source, Payload payload) throws ReportParseException {
        try (InputStream in = payload.open()) {
            out.tls(tlsParser.parse(source, in));
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read: " + e.getMessage(), e);
        } catch (HandlerFailure e) {
            throw e; // the handler's failure, not the input's: the caller keeps the input and tries again
        } catch (RuntimeException e) {
            throw new ReportParseException(source, "the TLS report parser failed: " + e, e);
        }
    }

    void deliverFailure(FailureReport report) {
        out.failure(report);
    }

    DeliveryCounter out() {
        return out;
    }

    ParserLimits limits() {
        return limits;
    }

    ByteBudget budget() {
        return budget;
    }

    /**
     * Counts one more mail part of this input; false once {@link ParserLimits#maxMailParts()} are used up,
     * and the part is not to be read.
     */
    boolean takeMailPart() {
        if (mailParts >= limits.maxMailParts()) {
            return false;
        }
        mailParts++;
        return true;
    }

    FailureReportParser failureParser() {
        return failureParser;
    }

    /** The first bytes of a stream, read before deciding whether the rest is worth keeping. */
    record Head(byte[] bytes, int length, ContentKind kind) {
        static Head read(InputStream in) throws IOException {
            byte[] bytes = in.readNBytes(ContentSniffer.HEAD_SIZE);
            return new Head(bytes, bytes.length, ContentSniffer.sniff(bytes, bytes.length));
        }
    }
}
