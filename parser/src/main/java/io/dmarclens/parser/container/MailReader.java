package io.dmarclens.parser.container;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.failure.FailureReportParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Reads an RFC 5322 mail with mime4j's streaming tokenizer. An ARF failure report goes whole to
 * {@link FailureReportParser#parseArf}; otherwise every leaf part is decoded (base64, quoted-printable)
 * and read by content, whatever its media type says, so Google's zip, Microsoft's nested gzip,
 * SES's {@code application/octet-stream}, Mimecast's gzip body and TLS reports are all found. Embedded
 * {@code message/rfc822} parts are read as mails of their own, one level deeper. A mail with no report
 * part whose text reads like a failure notice goes to {@link FailureReportParser#parsePlainTextNotice}.
 */
final class MailReader {
    /** A failure report is read whole into memory; beyond this it is no failure report anyone sends. */
    private static final long MAX_FAILURE_MAIL = 32L << 20;
    private static final int MAX_NOTICE_TEXT = 64 * 1024;

    private static final MimeConfig CONFIG = new MimeConfig.Builder()
            .setStrictParsing(false)
            .setMaxHeaderCount(1_000)
            .setMaxHeaderLen(100_000)
            .setMaxLineLen(100_000)
            .setMalformedHeaderStartsBody(true)
            .build();

    private final ContainerWalk walk;

    MailReader(ContainerWalk walk) {
        this.walk = walk;
    }

    void read(ReportSource source, Payload mail, int depth) throws ReportParseException {
        if (isFailureReport(source, mail)) {
            FailureReportParser parser = walk.failureParser();
            walk.deliverFailure(parser.parseArf(source, wholeMail(source, mail)));
            return;
        }
        PartOutcomes outcomes = new PartOutcomes(source, walk.out());
        String subject = null;
        String firstText = null;
        List<String> partTypes = new ArrayList<>();
        int partNumber = 0;
        MimeTokenStream tokens = newTokenStream();
        try (InputStream in = mail.open()) {
            tokens.parse(in);
            boolean topHeader = true;
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                if (state == EntityState.T_FIELD && topHeader && subject == null
                        && "subject".equalsIgnoreCase(tokens.getField().getName())) {
                    subject = decodedValue(tokens.getField());
                } else if (state == EntityState.T_END_HEADER) {
                    topHeader = false;
                } else if (state == EntityState.T_BODY) {
                    partNumber++;
                    if (!walk.takeMailPart()) {
                        // Each part costs a little; hundreds of thousands of them must not cost a worker.
                        outcomes.failed("mail", new LimitExceededException(source, String.format(Locale.ROOT,
                                "more than %,d mail parts in one input; part %,d and the rest were not read",
                                walk.limits().maxMailParts(), partNumber)));
                        break;
                    }
                    MaximalBodyDescriptor body = (MaximalBodyDescriptor) tokens.getBodyDescriptor();
                    String type = Bounded.text(body.getMimeType().toLowerCase(Locale.ROOT), Bounded.ITEM);
                    String filename = Bounded.text(filename(body), Bounded.ITEM);
                    String name = filename != null ? filename : "part " + partNumber + " (" + type + ")";
                    partTypes.add(type);
                    InputStream content = tokens.getDecodedInputStream();
                    if (firstText == null && type.equals("text/plain")) {
                        byte[] text = content.readNBytes(MAX_NOTICE_TEXT);
                        firstText = new String(text, charset(body));
                        content = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(text), content);
                    }
                    walk.readPart(source.child(name), name, "mail part", type, content, depth, outcomes);
                }
            }
        } catch (MimeException e) {
            outcomes.failed("mail", new ReportParseException(source, "mail is malformed: " + e.getMessage(), e));
        } catch (IOException e) {
            outcomes.failed("mail", new ReportParseException(source, "cannot read the mail: " + e.getMessage(), e));
        }
        if (outcomes.settle("mail")) {
            return;
        }
        if (FailureReportParser.looksLikeFailureNotice(subject, firstText)) {
            walk.deliverFailure(walk.failureParser().parsePlainTextNotice(source, wholeMail(source, mail)));
            return;
        }
        throw new ReportParseException(source, "mail has no report attachment (parts: "
                + (partTypes.isEmpty() ? "none" : Bounded.join(partTypes, ", ")) + ")");
    }

    /**
     * True for an ARF report: {@code multipart/report; report-type=feedback-report} at the top, or a
     * {@code message/feedback-report} part anywhere outside embedded messages.
     */
    private boolean isFailureReport(ReportSource source, Payload mail) throws ReportParseException {
        if (!mentionsFeedback(source, mail)) {
            return false; // neither type can be declared without the word: skip the MIME pass (most mail)
        }
        MimeTokenStream tokens = newTokenStream();
        try (InputStream in = mail.open()) {
            tokens.parse(in);
            boolean top = true;
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                if (state == EntityState.T_START_MULTIPART || state == EntityState.T_BODY) {
                    MaximalBodyDescriptor body = (MaximalBodyDescriptor) tokens.getBodyDescriptor();
                    String type = body.getMimeType().toLowerCase(Locale.ROOT);
                    if (top && type.equals("multipart/report")
                            && "feedback-report".equalsIgnoreCase(trim(body.getContentTypeParameters().get("report-type")))) {
                        return true;
                    }
                    if (type.equals("message/feedback-report")) {
                        return true;
                    }
                    top = false;
                }
            }
            return false;
        } catch (MimeException e) {
            throw new ReportParseException(source, "mail is malformed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the mail: " + e.getMessage(), e);
        }
    }

    private static final byte[] FEEDBACK = "feedback".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the raw mail holds "feedback" in any case. Both markers of a failure report are header tokens
     * that contain it ({@code message/feedback-report}, {@code report-type=feedback-report}), and headers
     * are not transfer-encoded; a mail without the word is not one, and a scan of its bytes costs far less
     * than tokenising its MIME structure. A mail that merely mentions it gets the full check.
     */
    static boolean mentionsFeedback(ReportSource source, Payload mail) throws ReportParseException {
        try (InputStream in = mail.open()) {
            byte[] buf = new byte[16 * 1024];
            int keep = 0;
            int n;
            while ((n = in.read(buf, keep, buf.length - keep)) > 0) {
                int end = keep + n;
                for (int i = 0; i + FEEDBACK.length <= end; i++) {
                    if ((buf[i] | 0x20) == 'f' && matchesFeedback(buf, i)) {
                        return true;
                    }
                }
                // The last bytes may start the word: keep them in front of the next read.
                keep = Math.min(FEEDBACK.length - 1, end);
                System.arraycopy(buf, end - keep, buf, 0, keep);
            }
            return false;
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the mail: " + e.getMessage(), e);
        }
    }

    private static boolean matchesFeedback(byte[] buf, int at) {
        for (int k = 1; k < FEEDBACK.length; k++) {
            if ((buf[at + k] | 0x20) != FEEDBACK[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] wholeMail(ReportSource source, Payload mail) throws ReportParseException {
        try {
            return mail.readAll(MAX_FAILURE_MAIL, "failure report mail");
        } catch (LimitExceededIOException e) {
            throw new LimitExceededException(source, e.getMessage());
        } catch (IOException e) {
            throw new ReportParseException(source, "cannot read the mail: " + e.getMessage(), e);
        }
    }

    private static MimeTokenStream newTokenStream() {
        // The lenient field parsers read Content-Type and Content-Disposition with mime4j's hand-written
        // RawFieldParser: the default (JavaCC) ones allocate about 36 KB of buffers for every field they parse,
        // a quarter of all a serve node allocated per SMTP report (docs/performance.md).
        MimeTokenStream tokens = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT,
                new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), DecodeMonitor.SILENT));
        // Embedded messages are read as parts and walked as mails of their own, so nesting is counted.
        tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
        return tokens;
    }

    /** The attachment's file name: Content-Disposition filename, else Content-Type name (SES sends it unquoted). */
    private static String filename(MaximalBodyDescriptor body) {
        String name = trim(body.getContentDispositionFilename());
        if (name == null) {
            name = trim(body.getContentTypeParameters().get("name"));
        }
        if (name == null) {
            return null;
        }
        try {
            return DecoderUtil.decodeEncodedWords(name, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static String decodedValue(Field field) {
        String body = field.getBody();
        try {
            return DecoderUtil.decodeEncodedWords(body, DecodeMonitor.SILENT).trim();
        } catch (IllegalArgumentException e) {
            return body.trim();
        }
    }

    private static Charset charset(MaximalBodyDescriptor body) {
        try {
            return body.getCharset() == null ? StandardCharsets.UTF_8 : Charset.forName(body.getCharset());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        return t.isEmpty() ? null : t;
    }
}
