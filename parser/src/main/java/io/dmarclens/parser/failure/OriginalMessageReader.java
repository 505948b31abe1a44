package io.dmarclens.parser.failure;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Reads the sample a failure report carries: a whole message ({@code message/rfc822}) or only its
 * header block ({@code text/rfc822-headers}). Only the header block is interpreted; the body is
 * measured, never parsed, because it is the stranger's message and not ours to decode.
 */
final class OriginalMessageReader {
    private final ParserLimits limits;

    OriginalMessageReader(ParserLimits limits) {
        this.limits = limits;
    }

    OriginalMessage read(byte[] content, boolean headersOnly, String location, List<ParseWarning> warnings) {
        List<OriginalMessage.Header> headers = readHeaders(content, location, warnings);
        String from = null;
        String to = null;
        String subject = null;
        String date = null;
        String messageId = null;
        List<OriginalMessage.DkimSignatureRef> signatures = new ArrayList<>();
        List<String> authResults = new ArrayList<>();
        for (OriginalMessage.Header h : headers) {
            String value = h.value();
            switch (h.name().toLowerCase(Locale.ROOT)) {
                case "from" -> from = from == null ? decodeWords(value) : from;
                case "to" -> to = to == null ? decodeWords(value) : to;
                case "subject" -> subject = subject == null ? decodeWords(value) : subject;
                case "date" -> date = date == null ? value : date;
                case "message-id" -> messageId = messageId == null ? value : messageId;
                case "dkim-signature" -> signatures.add(dkimRef(value));
                case "authentication-results" -> authResults.add(value);
                default -> {
                }
            }
        }
        long bodyBytes = headersOnly ? 0 : bodySize(content);
        return new OriginalMessage(from, to, subject, date, messageId, signatures, authResults, headers,
                headersOnly, bodyBytes);
    }

    private List<OriginalMessage.Header> readHeaders(byte[] content, String location,
                                                     List<ParseWarning> warnings) {
        MimeConfig config = new MimeConfig.Builder()
                .setMaxLineLen(-1)
                .setMaxHeaderCount(10_000)
                .setMaxHeaderLen(Math.max(limits.maxTextLength(), 100_000))
                .build();
        MimeTokenStream stream = new MimeTokenStream(config, DecodeMonitor.SILENT, null);
        stream.setRecursionMode(RecursionMode.M_FLAT);
        stream.parse(new ByteArrayInputStream(content));
        List<OriginalMessage.Header> headers = new ArrayList<>();
        try {
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM && s != EntityState.T_END_HEADER;
                 s = stream.next()) {
                if (s == EntityState.T_FIELD) {
                    Field f = stream.getField();
                    String value = f.getBody() == null ? "" : f.getBody().strip();
                    if (value.length() > limits.maxTextLength()) {
                        warnings.add(new ParseWarning(location + "/" + f.getName(), "value of " + value.length()
                                + " characters cut to " + limits.maxTextLength() + " (maxTextLength)"));
                        value = value.substring(0, limits.maxTextLength());
                    }
                    headers.add(new OriginalMessage.Header(f.getName(), value));
                }
            }
        } catch (MimeException | IOException e) {
            warnings.add(new ParseWarning(location, "header block unreadable after " + headers.size()
                    + " fields: " + e.getMessage()));
        }
        return headers;
    }

    /** Bytes after the blank line that ends the header block; 0 when there is none. */
    static long bodySize(byte[] content) {
        for (int i = 0; i < content.length - 1; i++) {
            if (content[i] == '\n') {
                if (content[i + 1] == '\n') {
                    return content.length - (i + 2);
                }
                if (content[i + 1] == '\r' && i + 2 < content.length && content[i + 2] == '\n') {
                    return content.length - (i + 3);
                }
            }
        }
        return 0;
    }

    /** d= and s= of one DKIM-Signature value (RFC 6376 tag=value list; folding whitespace removed). */
    static OriginalMessage.DkimSignatureRef dkimRef(String value) {
        String domain = null;
        String selector = null;
        for (String tag : value.split(";")) {
            int eq = tag.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = tag.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String v = tag.substring(eq + 1).replaceAll("\\s+", "");
            if (name.equals("d") && domain == null) {
                domain = v;
            } else if (name.equals("s") && selector == null) {
                selector = v;
            }
        }
        return new OriginalMessage.DkimSignatureRef(domain, selector);
    }

    static String decodeWords(String value) {
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return value;
        }
    }
}
