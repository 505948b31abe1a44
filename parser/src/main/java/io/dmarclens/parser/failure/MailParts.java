package io.dmarclens.parser.failure;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * One mail split into its top-level header fields and its leaf parts, in order, with their content
 * transfer encoding removed. Attached messages ({@code message/rfc822}) are not opened: they come out
 * as one leaf whose bytes are the whole attached message, which is what a failure report's sample is.
 */
record MailParts(List<OriginalMessage.Header> headers, List<Part> parts) {

    /** Multipart levels followed before giving up; real reports use three at most. */
    static final int MAX_MULTIPART_DEPTH = 32;

    /** A leaf part: its media type (lower case), charset (or null), position and decoded bytes. */
    record Part(int index, String mimeType, String charset, byte[] content) {
        String text() {
            return new String(content, charsetOr(charset, StandardCharsets.UTF_8));
        }

        boolean isText() {
            return mimeType.startsWith("text/");
        }
    }

    MailParts {
        headers = List.copyOf(headers);
        parts = List.copyOf(parts);
    }

    /** The first top-level header named {@code name} (case-insensitive), or null. */
    String header(String name) {
        for (OriginalMessage.Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    static MailParts read(ReportSource source, byte[] message, ParserLimits limits) throws ReportParseException {
        if (message == null || message.length == 0) {
            throw new ReportParseException(source, "zero-byte input: no mail to read");
        }
        MimeConfig config = new MimeConfig.Builder()
                .setMaxLineLen(-1)           // the whole mail is in memory already; long HTML lines are common
                .setMaxHeaderCount(10_000)
                .setMaxHeaderLen(Math.max(limits.maxTextLength(), 100_000))
                .setStrictParsing(false)
                .build();
        MimeTokenStream stream = new MimeTokenStream(config, DecodeMonitor.SILENT, null);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parse(new ByteArrayInputStream(message));
        List<OriginalMessage.Header> headers = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        int depth = 0;
        boolean topHeader = true;
        long decodedTotal = 0;
        try {
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_FIELD -> {
                        if (topHeader) {
                            Field f = stream.getField();
                            headers.add(new OriginalMessage.Header(f.getName(), f.getBody()));
                        }
                    }
                    case T_END_HEADER -> topHeader = false;
                    case T_START_MULTIPART -> {
                        if (++depth > MAX_MULTIPART_DEPTH) {
                            throw new LimitExceededException(source,
                                    "mail nests multiparts more than " + MAX_MULTIPART_DEPTH + " levels deep");
                        }
                    }
                    case T_END_MULTIPART -> depth--;
                    case T_BODY -> {
                        BodyDescriptor body = stream.getBodyDescriptor();
                        byte[] content = readCapped(stream.getDecodedInputStream(),
                                limits.maxDecompressedBytes() - decodedTotal, source);
                        decodedTotal += content.length;
                        String mimeType = body.getMimeType() == null ? "text/plain"
                                : body.getMimeType().toLowerCase(Locale.ROOT);
                        parts.add(new Part(parts.size() + 1, mimeType, body.getCharset(), content));
                    }
                    default -> {
                    }
                }
            }
        } catch (MimeException | IOException e) {
            throw new ReportParseException(source, "mail is not readable MIME: " + e.getMessage(), e);
        }
        return new MailParts(headers, parts);
    }

    private static byte[] readCapped(InputStream in, long remaining, ReportSource source) throws IOException,
            LimitExceededException {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(0, remaining));
        byte[] bytes = in.readNBytes(cap);
        if (in.read() != -1) {
            throw new LimitExceededException(source, "decoded mail parts exceed the cap of "
                    + remaining + " bytes (maxDecompressedBytes)");
        }
        return bytes;
    }

    static Charset charsetOr(String name, Charset fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        if (name.strip().equalsIgnoreCase("us-ascii")) {
            // mime4j's default when no charset is declared; 8-bit text in the wild is nearly always UTF-8
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
