package io.dmarclens.parser.aggregate;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.container.LimitExceededIOException;
import io.dmarclens.parser.container.PayloadOpener;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLInputFactory2;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * Reads one XML document holding a DMARC aggregate (rua) report (RFC 7489, RFC 9990 or the older
 * dmarc.org draft) and streams it to a {@link ReportHandler}: {@code beginAggregate}, each
 * {@code record}, then {@code endAggregate}.
 *
 * <p>Well-formed UTF-8 documents without DTD, the common case, are read in one fast pass by a byte
 * scanner ({@link Utf8Cursor}). Anything unusual hands the document to Woodstox, straight on the
 * bytes, which takes over where the scanner stopped (nothing is delivered twice) and gives the same
 * values and warnings, and Woodstox's errors. Only when that pass meets a well-formedness error is the payload opened again and read through a repairing reader
 * (see {@link SanitizingReader}); a report begun by the fast pass is withdrawn first with
 * {@code abortAggregate}. A document that is cut off is kept up to the last complete record, with a
 * warning. DTDs are refused outright, so no entity is ever resolved or expanded.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class AggregateXmlParser {
    private final ParserLimits limits;
    private final XMLInputFactory2 factory;
    private final boolean scanner;

    public AggregateXmlParser(ParserLimits limits) {
        this(limits, true);
    }

    private AggregateXmlParser(ParserLimits limits, boolean scanner) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.factory = safeFactory(limits);
        this.scanner = scanner;
    }

    /**
     * A parser that reads every document with Woodstox, never with the byte scanner: the reference
     * the scanner is tested against, and a way to rule it out when a report reads unexpectedly.
     */
    public static AggregateXmlParser woodstoxOnly(ParserLimits limits) {
        return new AggregateXmlParser(limits, false);
    }

    private static XMLInputFactory2 safeFactory(ParserLimits limits) {
        XMLInputFactory2 f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLInputFactory.RESOLVER, (javax.xml.stream.XMLResolver) (publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resources are never loaded: " + systemId);
        });
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, limits.maxTextLength());
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, limits.maxTextLength() + 1);
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxXmlDepth());
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 0L + 100);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
        return f;
    }

    /** Streams one XML document's aggregate report to the handler (beginAggregate, record..., endAggregate). */
    public void parse(ReportSource source, PayloadOpener payload, ReportHandler handler) throws ReportParseException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(handler, "handler");
        ResumingHandler target = new ResumingHandler(handler);
        if (scanner) {
            target = scan(source, payload, target);
            if (target == null) {
                return;
            }
        }
        FeedbackReader fast = new FeedbackReader(source, target, limits, List.of());
        XMLStreamException firstError;
        try (InputStream in = open(source, payload)) {
            XMLStreamReader2 xml = (XMLStreamReader2) factory.createXMLStreamReader(in);
            try {
                fast.read(w -> new StaxCursor(xml, source, limits, w));
                return;
            } finally {
                closeQuietly(xml);
            }
        } catch (XMLStreamException e) {
            ReportParseException fatal = fatal(source, e);
            if (fatal != null) {
                throw withdrawn(target, fatal);
            }
            firstError = e;
        } catch (IOException e) {
            throw withdrawn(target, readError(source, e));
        } catch (ReportParseException e) {
            throw withdrawn(target, e);
        }
        String problem = describe(firstError);
        if (target.isOpen()) {
            target.abortAggregate("XML is not well-formed (" + problem + "); reading it again with repairs");
        }
        recover(source, payload, handler, firstError, problem);
    }

    /**
     * The byte scanner's pass ({@link Utf8Cursor}): null when it read the whole document, else the
     * handler through which the Woodstox pass takes over from where it stopped.
     */
    private ResumingHandler scan(ReportSource source, PayloadOpener payload, ResumingHandler target)
            throws ReportParseException {
        FeedbackReader reader = new FeedbackReader(source, target, limits, List.of());
        try (InputStream in = open(source, payload)) {
            reader.read(w -> new Utf8Cursor(in, limits, w));
            return null;
        } catch (ScannerBailout e) {
            return target.resumed();
        } catch (Utf8Input.ReadFailure e) {
            // A cap of the payload stream ends the parse as it would under Woodstox; other read errors
            // are left to the Woodstox pass, which meets them again and reports them its way.
            ReportParseException typed = typedCause(source, e.getCause());
            if (typed != null) {
                throw withdrawn(target, typed);
            }
            return target.resumed();
        } catch (XMLStreamException e) {
            return target.resumed();
        } catch (IOException e) {
            throw withdrawn(target, readError(source, e));
        } catch (ReportParseException e) {
            throw withdrawn(target, e);
        }
    }

    private void recover(ReportSource source, PayloadOpener payload, ReportHandler handler,
                         XMLStreamException firstError, String problem) throws ReportParseException {
        SanitizingReader sanitizer = null;
        FeedbackReader reader = null;
        try (InputStream in = open(source, payload)) {
            sanitizer = new SanitizingReader(decodingReader(in), limits.maxXmlDepth());
            XMLStreamReader2 xml = (XMLStreamReader2) factory.createXMLStreamReader(sanitizer);
            List<ParseWarning> notes = new ArrayList<>();
            Location at = firstError.getLocation();
            notes.add(new ParseWarning(at == null || at.getLineNumber() < 0 ? "" : location(at),
                    "XML is not well-formed (" + Bounded.text(message(firstError), Bounded.ITEM) + "); read again with repairs"));
            // The repairs are only known once read; the reader takes them when it ends the report.
            reader = new FeedbackReader(source, handler, limits, notes);
            reader.repairsFrom(sanitizer);
            try {
                reader.read(w -> new StaxCursor(xml, source, limits, w));
            } finally {
                closeQuietly(xml);
            }
        } catch (XMLStreamException e) {
            ReportParseException fatal = fatal(source, e);
            if (fatal != null) {
                throw withdrawn(reader, handler, fatal);
            }
            if (reader == null || !reader.finishAtError(e, describe(e), endsInRootEndTag(payload))) {
                // Undecodable bytes fail without a position in the fast pass; the repaired pass has one.
                String where = firstError.getLocation() != null ? problem : describe(e);
                throw withdrawn(reader, handler,
                        new ReportParseException(source, "XML is not well-formed at " + where, firstError));
            }
        } catch (IOException e) {
            throw withdrawn(reader, handler, readError(source, e));
        } catch (ReportParseException e) {
            throw withdrawn(reader, handler, e);
        }
    }

    /**
     * Whether the document's last bytes are the start of its root end tag ({@code </feedback} without the
     * {@code >}): a quirk of some reporters (report-formats.md) where every record is whole, so the report
     * is complete, not cut off.
     */
    private static boolean endsInRootEndTag(PayloadOpener payload) {
        try (InputStream in = payload.open()) {
            if (in == null) {
                return false;
            }
            byte[] last = new byte[TAIL];
            int filled = 0;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (n >= TAIL) {
                    System.arraycopy(buf, n - TAIL, last, 0, TAIL);
                    filled = TAIL;
                } else {
                    int keep = Math.min(filled, TAIL - n);
                    System.arraycopy(last, filled - keep, last, 0, keep);
                    System.arraycopy(buf, 0, last, keep, n);
                    filled = keep + n;
                }
            }
            String tail = new String(last, 0, filled, java.nio.charset.StandardCharsets.ISO_8859_1);
            return ROOT_END_TAG_START.matcher(tail).find();
        } catch (IOException | RuntimeException e) {
            return false; // cannot tell: treated as cut off, which is the careful answer
        }
    }

    private static final int TAIL = 128;
    private static final java.util.regex.Pattern ROOT_END_TAG_START =
            java.util.regex.Pattern.compile("</([A-Za-z_][\\w.-]*:)?feedback\\s*$");

    /** Withdraws the report begun and not ended through {@code target}, so the handler never holds half a report. */
    private static ReportParseException withdrawn(ResumingHandler target, ReportParseException e) {
        if (target.isOpen()) {
            target.abortAggregate(e.getMessage());
        }
        return e;
    }

    /** Withdraws the report the reader has begun and not ended, so the handler never holds half a report. */
    private static ReportParseException withdrawn(FeedbackReader reader, ReportHandler handler, ReportParseException e) {
        if (reader != null && reader.isOpen()) {
            handler.abortAggregate(e.getMessage());
        }
        return e;
    }

    private static InputStream open(ReportSource source, PayloadOpener payload) throws IOException {
        InputStream in = payload.open();
        if (in == null) {
            throw new IOException("the payload of " + source + " could not be opened");
        }
        return in;
    }

    /**
     * A reader that decodes the bytes as the document declares (BOM, then the XML declaration, then
     * UTF-8), replacing undecodable bytes instead of failing on them.
     */
    private static Reader decodingReader(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 8192);
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        java.nio.charset.Charset charset = DeclaredEncoding.of(head);
        if (charset.equals(java.nio.charset.StandardCharsets.UTF_8)) {
            return new Utf8FallbackReader(in); // stray windows-1252 bytes read as such, not as U+FFFD
        }
        return new InputStreamReader(in, charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /**
     * Limit violations and typed errors from the payload stream end the parse, as the error returned;
     * null for a well-formedness error, which a recovery pass may get past.
     */
    private ReportParseException fatal(ReportSource source, XMLStreamException e) {
        ReportParseException typed = typedCause(source, e);
        if (typed != null) {
            return typed;
        }
        String m = message(e);
        if (m.contains("limit (") && m.toLowerCase(java.util.Locale.ROOT).contains("exceeded")) {
            return new LimitExceededException(source, "XML exceeds a safety limit at " + location(e.getLocation())
                    + ": " + m + " (limits: depth " + limits.maxXmlDepth() + ", text and attributes "
                    + limits.maxTextLength() + " characters)");
        }
        return null;
    }

    private static ReportParseException readError(ReportSource source, IOException e) {
        ReportParseException typed = typedCause(source, e);
        return typed != null ? typed : new ReportParseException(source, "cannot read the XML payload: " + e.getMessage(), e);
    }

    /** A cap or typed error the payload stream raised under the XML parser, or null. */
    private static ReportParseException typedCause(ReportSource source, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReportParseException) {
                return (ReportParseException) t;
            }
            if (t instanceof LimitExceededIOException) {
                return new LimitExceededException(source, t.getMessage());
            }
        }
        return null;
    }

    /** "line 3, column 7: message" */
    private static String describe(XMLStreamException e) {
        return location(e.getLocation()) + ": " + message(e);
    }

    private static String location(Location l) {
        return l == null || l.getLineNumber() < 0 ? "an unknown position" : "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }

    /** Woodstox appends the location to its messages; it is reported separately here. */
    private static String message(XMLStreamException e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int at = m.indexOf("\n at [");
        m = at >= 0 ? m.substring(0, at) : m;
        int plain = m.startsWith("ParseError at ") ? m.indexOf("Message: ") : -1;
        m = plain >= 0 ? m.substring(plain + "Message: ".length()) : m;
        return m.replace('\n', ' ').strip();
    }

    private static void closeQuietly(XMLStreamReader2 xml) {
        try {
            xml.closeCompletely();
        } catch (XMLStreamException ignored) {
            // the stream is closed by try-with-resources as well; nothing is lost here
        }
    }
}
