package io.dmarclens.parser.failure;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads failure (ruf) reports: ARF messages (RFC 5965, 6591, 9991) and plain-text DMARC failure
 * notices that carry no {@code message/feedback-report} part (Exim, cPanel). Each call reads one
 * whole mail already in memory; nothing but {@link ReportParseException} leaves it.
 */
public final class FailureReportParser {
    private static final Set<String> WHOLE_MESSAGE_TYPES = Set.of("message/rfc822", "message/global", "text/rfc822");
    private static final Set<String> HEADERS_ONLY_TYPES = Set.of("text/rfc822-headers", "message/rfc822-headers",
            "message/global-headers", "text/rfc822-header");

    private final ParserLimits limits;
    private final OriginalMessageReader originals;

    public FailureReportParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.originals = new OriginalMessageReader(limits);
    }

    /** A whole RFC 5322 message that is an ARF report (multipart/report; report-type=feedback-report, or holding a message/feedback-report part). */
    public FailureReport parseArf(ReportSource source, byte[] wholeMessage) throws ReportParseException {
        try {
            return readArf(source, MailParts.read(source, wholeMessage, limits));
        } catch (RuntimeException e) {
            throw unexpected(source, e);
        }
    }

    /** True when a mail without report attachments reads like a plain-text DMARC failure notice (Exim, cPanel, Netease...). */
    public static boolean looksLikeFailureNotice(String subject, String text) {
        return PlainTextNotice.looksLikeNotice(subject, text);
    }

    /**
     * A mail whose text is a failure notice written for people (see {@link #looksLikeFailureNotice}):
     * the source IP, dates, domain and alignment it states, and the copy of the failed message's
     * headers it carries. Format {@code plain-text}; a warning for each key fact it does not state.
     */
    public FailureReport parsePlainTextNotice(ReportSource source, byte[] wholeMessage) throws ReportParseException {
        try {
            MailParts mail = MailParts.read(source, wholeMessage, limits);
            MailParts.Part text = humanReadablePart(mail, null);
            if (text == null) {
                throw new ReportParseException(source, "no text part to read a failure notice from (parts: "
                        + describe(mail) + ")");
            }
            FailureReportDraft d = new FailureReportDraft(source, "plain-text");
            readNotice(mail, text, d);
            return d.build();
        } catch (RuntimeException e) {
            throw unexpected(source, e);
        }
    }

    private FailureReport readArf(ReportSource source, MailParts mail) throws ReportParseException {
        FailureReportDraft d = new FailureReportDraft(source, "arf");
        MailParts.Part feedback = feedbackPart(mail, d);
        MailParts.Part human = humanReadablePart(mail, feedback);
        if (feedback == null) {
            if (human == null || !looksLikeFailureNotice(subject(mail), human.text())) {
                throw new ReportParseException(source, "not a failure report: no message/feedback-report part"
                        + " and no failure notice text (parts: " + describe(mail) + ")");
            }
            d.format = "plain-text";
            d.warn(ArfFieldReader.LOCATION, "no message/feedback-report part: fields read from the human-readable text");
            readNotice(mail, human, d);
            return d.build();
        }
        String text = feedbackText(feedback, d);
        ArfFieldReader.read(FeedbackFields.parse(text, limits.maxTextLength(), ArfFieldReader.LOCATION, d.warnings), d);
        d.humanReadable = human == null ? null : capped(readable(human).strip(), "human-readable part", d);
        MailParts.Part sample = readOriginalPart(mail, d);
        if (d.original == null) {
            d.warn("original", "the report carries neither the failed message nor its headers");
        }
        warnUnusedParts(mail, d, feedback, human, sample);
        return d.build();
    }

    private void readNotice(MailParts mail, MailParts.Part text, FailureReportDraft d) {
        String body = readable(text);
        PlainTextNotice.read(subject(mail), body, d);
        d.humanReadable = capped(PlainTextNotice.ownText(body).strip(), "human-readable part", d);
        MailParts.Part sample = readOriginalPart(mail, d);
        warnUnusedParts(mail, d, text, sample);
        if (d.original == null) {
            String copied = PlainTextNotice.copiedHeaders(body);
            if (copied != null) {
                d.original = originals.read(copied.getBytes(StandardCharsets.UTF_8), true, "original", d.warnings);
            }
        }
        if (d.original == null) {
            d.warn("original", "the notice carries neither the failed message nor its headers");
        } else {
            fillFromOriginal(d);
        }
        ArfFieldReader.applyDefaults(d);
        if (d.sourceIp == null) {
            d.warn(PlainTextNotice.LOCATION, "no source IP address found in the notice");
        }
        if (d.arrivalDate == null) {
            d.warn(PlainTextNotice.LOCATION, "no arrival date found in the notice");
        }
        if (d.reportedDomain.isEmpty()) {
            d.warn(PlainTextNotice.LOCATION, "no reported domain found in the notice");
        }
    }

    /** A notice that names no domain still carries the failed message's From; its domain is the one reported. */
    private static void fillFromOriginal(FailureReportDraft d) {
        if (d.reportedDomain.isEmpty() && d.original.from() != null) {
            String from = d.original.from();
            int at = from.lastIndexOf('@');
            if (at >= 0) {
                String domain = from.substring(at + 1).replaceAll("[>\\s].*$", "").toLowerCase(java.util.Locale.ROOT);
                if (!domain.isEmpty()) {
                    d.reportedDomain.add(domain);
                    d.warn(PlainTextNotice.LOCATION, "reported domain taken from the failed message's From header");
                }
            }
        }
        if (d.authenticationResults.isEmpty()) {
            d.authenticationResults.addAll(d.original.authenticationResults());
        }
    }

    /** The first sample part, read into {@code d.original}; a second one is reported and left alone. */
    private MailParts.Part readOriginalPart(MailParts mail, FailureReportDraft d) {
        MailParts.Part used = null;
        for (MailParts.Part p : mail.parts()) {
            boolean whole = WHOLE_MESSAGE_TYPES.contains(p.mimeType());
            if (whole || HEADERS_ONLY_TYPES.contains(p.mimeType())) {
                if (d.original != null) {
                    d.warn("part " + p.index(), "a second sample (" + p.mimeType() + ") ignored; the first one is kept");
                    continue;
                }
                d.original = originals.read(p.content(), !whole, "original", d.warnings);
                used = p;
            }
        }
        return used;
    }

    /** Nothing is dropped silently: a part this reader had no use for is named in a warning. */
    private static void warnUnusedParts(MailParts mail, FailureReportDraft d, MailParts.Part... used) {
        Set<MailParts.Part> usedParts = new java.util.HashSet<>();
        for (MailParts.Part p : used) {
            if (p != null) {
                usedParts.add(p);
            }
        }
        for (MailParts.Part p : mail.parts()) {
            boolean sample = WHOLE_MESSAGE_TYPES.contains(p.mimeType()) || HEADERS_ONLY_TYPES.contains(p.mimeType());
            if (!usedParts.contains(p) && !sample && p.content().length > 0
                    && !(p.isText() && p.text().isBlank())) {
                d.warn("part " + p.index(), "part (" + p.mimeType() + ", " + p.content().length
                        + " bytes) is not part of a failure report: ignored");
            }
        }
    }

    /**
     * The {@code message/feedback-report} part; failing that, a {@code text/plain} part holding the
     * fields (broken reporters label it so).
     */
    private static MailParts.Part feedbackPart(MailParts mail, FailureReportDraft d) {
        for (MailParts.Part p : mail.parts()) {
            if (p.mimeType().endsWith("/feedback-report")) {
                return p;
            }
        }
        for (MailParts.Part p : mail.parts()) {
            if (p.mimeType().equals("text/plain") && FeedbackFields.looksLikeFeedbackReport(p.text())) {
                d.warn("part " + p.index(), "feedback report found in a text/plain part instead of message/feedback-report");
                return p;
            }
        }
        return null;
    }

    /**
     * The feedback part's text. Some reporters base64-encode it without saying so in
     * Content-Transfer-Encoding; such a body is decoded here.
     */
    private static String feedbackText(MailParts.Part feedback, FailureReportDraft d) {
        String text = new String(feedback.content(), StandardCharsets.UTF_8);
        if (!FeedbackFields.looksLikeFeedbackReport(text) && text.strip().matches("[A-Za-z0-9+/=\\s]+")) {
            try {
                String decoded = new String(Base64.getMimeDecoder().decode(text.strip()), StandardCharsets.UTF_8);
                if (FeedbackFields.looksLikeFeedbackReport(decoded)) {
                    d.warn("part " + feedback.index(), "feedback report was base64-encoded without a"
                            + " Content-Transfer-Encoding header: decoded");
                    return decoded;
                }
            } catch (IllegalArgumentException e) {
                // not base64 after all: read it as written
            }
        }
        return text;
    }

    /** The first text part that is neither the feedback report nor a sample: the reporter's words. */
    private static MailParts.Part humanReadablePart(MailParts mail, MailParts.Part feedback) {
        MailParts.Part html = null;
        for (MailParts.Part p : mail.parts()) {
            if (p == feedback || HEADERS_ONLY_TYPES.contains(p.mimeType()) || WHOLE_MESSAGE_TYPES.contains(p.mimeType())) {
                continue;
            }
            if (p.mimeType().equals("text/plain")) {
                return p;
            }
            if (p.mimeType().equals("text/html") && html == null) {
                html = p;
            }
        }
        return html;
    }

    private static String subject(MailParts mail) {
        String subject = mail.header("Subject");
        return subject == null ? null : OriginalMessageReader.decodeWords(subject);
    }

    private static String readable(MailParts.Part text) {
        return text.mimeType().equals("text/html") ? HtmlText.strip(text.text()) : text.text();
    }

    private String capped(String text, String what, FailureReportDraft d) {
        if (text.length() <= limits.maxTextLength()) {
            return text;
        }
        d.warn(what, "text of " + text.length() + " characters cut to " + limits.maxTextLength() + " (maxTextLength)");
        return text.substring(0, limits.maxTextLength());
    }

    private static String describe(MailParts mail) {
        List<MailParts.Part> parts = mail.parts();
        return parts.isEmpty() ? "none" : Bounded.join(parts.stream().map(MailParts.Part::mimeType).toList(), ", ");
    }

    private static ReportParseException unexpected(ReportSource source, RuntimeException e) {
        return new ReportParseException(source, "failure report unreadable: " + e, e);
    }
}
