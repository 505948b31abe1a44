package io.dmarclens.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Compresses and wraps generated reports the way reporters deliver them: gzip, zip, and RFC 5322 mails
 * with a base64 attachment. Everything is byte-for-byte deterministic (fixed timestamps, boundaries
 * derived from the report id), so one seed always gives the same files.
 */
final class Packaging {
    private static final DateTimeFormatter MAIL_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private Packaging() {
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (OutputStream gz = gzip(out, Deflater.DEFAULT_COMPRESSION)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A gzip stream over {@code out} that compresses at {@code level} ({@link Deflater#BEST_SPEED} for
     * files written once and read many times); closing it closes {@code out}.
     */
    static OutputStream gzip(OutputStream out, int level) throws IOException {
        // GZIPOutputStream writes MTIME 0 and no file name: the output depends on the data only.
        return new LeveledGzip(out, level);
    }

    static byte[] zip(String entryName, byte[] data, long epochSecond) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 256);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(entryName);
            entry.setTimeLocal(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
            zip.putNextEntry(entry);
            zip.write(data);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String mailDate(long epochSecond) {
        return MAIL_DATE.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    /** The header lines every report mail starts with, LF-ended (see {@link #crlf}). */
    static String headers(String from, String to, String subject, long dateEpochSecond, String messageId) {
        return "From: " + from + "\n"
                + "To: " + to + "\n"
                + "Subject: " + subject + "\n"
                + "Date: " + mailDate(dateEpochSecond) + "\n"
                + "Message-ID: <" + messageId + ">\n";
    }

    static String base64Lines(byte[] data) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
    }

    /**
     * A report mail: a short text part and the report as a base64 attachment.
     *
     * @param headers     From, To, Subject, Date, Message-ID... one per line, without the MIME headers
     * @param contentType the attachment's media type
     * @param fileName    the attachment's file name
     * @param boundary    the multipart boundary
     */
    static byte[] mailWithAttachment(String headers, String text, String contentType, String fileName,
                                     byte[] attachment, String boundary) {
        String mail = headers
                + "MIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n"
                + "\n"
                + "--" + boundary + "\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + text + "\n"
                + "\n"
                + "--" + boundary + "\n"
                + "Content-Type: " + contentType + "; name=\"" + fileName + "\"\n"
                + "Content-Transfer-Encoding: base64\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\n"
                + "\n"
                + base64Lines(attachment) + "\n"
                + "\n"
                + "--" + boundary + "--\n";
        return crlf(mail);
    }

    /** Mail line endings are CRLF on the wire. */
    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** GZIPOutputStream has no constructor that takes a level. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 1 << 16);
            def.setLevel(level);
        }
    }
}
