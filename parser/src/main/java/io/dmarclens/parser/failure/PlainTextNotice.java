package io.dmarclens.parser.failure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DMARC failure notices written for people rather than machines: Exim and cPanel's
 * "A message claiming to be from you has failed the published DMARC policy" with its
 * {@code Sender IP Address:} / {@code Received Date:} lines and a copy of the headers, and the
 * prose first part of ARF-like reports ("... received from IP 192.0.2.1 on Fri, 28 Sep 2018 ...").
 */
final class PlainTextNotice {
    static final String LOCATION = "notice";

    // Every pattern here runs on a stranger's text: each is linear (no nested or lazy quantifier that can
    // rescan a long line), so a hostile notice costs time in proportion to its length.
    private static final Pattern FIELD_LINE = Pattern.compile("(?m)^[ \\t]*([A-Za-z][A-Za-z0-9 _-]{1,40}?)[ \\t]*:[ \\t]*(\\S[^\\r\\n]*)$");
    private static final String IP = "(\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*[0-9A-Fa-f])";
    private static final Pattern RECEIVED_FROM_IP = Pattern.compile(
            "(?i)received\\s+from\\s+(?:IP\\s+)?\\[?" + IP + "\\]?\\s+on\\s+([^\\r\\n]+)");
    private static final Pattern SUBJECT_IP = Pattern.compile("(?i)\\bIP\\s*[:=]?\\s*\\[?" + IP);
    private static final Pattern SUBJECT_DOMAIN = Pattern.compile("(?i)\\breport\\s+for\\s+([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final Pattern COPY_SEPARATOR = Pattern.compile("(?m)^-{3,}.*$");
    private static final Pattern HEADER_START = Pattern.compile("(?m)^[!-9;-~]+:[ \\t]");
    private static final Pattern NOTICE_WORDS = Pattern.compile(
            "(?i)(claiming to be from you has failed|authentication[- ]failure report|dmarc (failure|forensic) report"
                    + "|did not meet the sending domain's dmarc policy|failed the published dmarc policy)");
    private static final Pattern FIELD_NAMES_WITH_IP = Pattern.compile("(?im)^[ \\t]*(sender ip address|source[- ]ip)[ \\t]*:");
    private static final Pattern SUBJECT_WORDS = Pattern.compile("(?i)(dmarc|forensic).{0,20}(failure|forensic)\\s+report");

    private PlainTextNotice() {
    }

    /** See {@link FailureReportParser#looksLikeFailureNotice(String, String)}. */
    static boolean looksLikeNotice(String subject, String text) {
        String body = text == null ? "" : text;
        if (NOTICE_WORDS.matcher(body).find()) {
            return true;
        }
        boolean subjectSays = subject != null && SUBJECT_WORDS.matcher(subject).find();
        return subjectSays && (RECEIVED_FROM_IP.matcher(body).find()
                || FIELD_NAMES_WITH_IP.matcher(body).find());
    }

    /** The text after an Exim-style "------ This is a copy of ..." line, from its first header line on. */
    static String copiedHeaders(String text) {
        Matcher sep = COPY_SEPARATOR.matcher(text);
        if (sep.find()) {
            Matcher h = HEADER_START.matcher(text);
            if (h.find(sep.end())) {
                return text.substring(h.start());
            }
        }
        return null;
    }

    /** The part of the notice before the copied message, where its own fields are. */
    static String ownText(String text) {
        Matcher sep = COPY_SEPARATOR.matcher(text);
        return sep.find() ? text.substring(0, sep.start()) : text;
    }

    /**
     * Fills {@code d} from the notice's text and subject. Fields found are kept in {@code d.fields} under
     * lower-case names with spaces as dashes ({@code sender-ip-address}), as parsedmarc names them.
     */
    static void read(String subject, String text, FailureReportDraft d) {
        String own = ownText(text == null ? "" : text);
        Map<String, List<String>> found = new LinkedHashMap<>();
        Matcher m = FIELD_LINE.matcher(own);
        while (m.find()) {
            String name = m.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[ _]+", "-");
            found.computeIfAbsent(name, k -> new ArrayList<>()).add(m.group(2).strip());
        }
        found.forEach((k, v) -> d.fields.putIfAbsent(k, v));

        d.sourceIp = ArfFieldReader.sourceIp(firstOf(found, "sender-ip-address", "source-ip", "sender-ip",
                "ip-address", "client-ip", "remote-ip"));
        String date = firstOf(found, "received-date", "arrival-date", "date-received", "received");
        Matcher sentence = RECEIVED_FROM_IP.matcher(own);
        if (sentence.find()) {
            d.fields.putIfAbsent("received-from-ip", List.of(sentence.group(1)));
            if (d.sourceIp == null) {
                d.sourceIp = sentence.group(1);
            }
            if (date == null) {
                date = sentence.group(2).strip();
            }
        }
        if (date != null) {
            Optional<Instant> parsed = MailDates.parse(date);
            if (parsed.isPresent()) {
                d.arrivalDate = parsed.get();
            } else {
                d.warn(LOCATION + "/received date", "unreadable date '" + FeedbackFields.abbreviate(date)
                        + "': left empty");
            }
        }
        String domain = firstOf(found, "sender-domain", "reported-domain", "domain", "policy-domain");
        if (domain == null && subject != null) {
            Matcher s = SUBJECT_DOMAIN.matcher(subject);
            domain = s.find() ? s.group(1) : null;
        }
        if (domain != null) {
            d.reportedDomain.add(domain.strip().toLowerCase(Locale.ROOT));
        }
        if (d.sourceIp == null && subject != null) {
            Matcher s = SUBJECT_IP.matcher(subject);
            if (s.find()) {
                d.sourceIp = s.group(1);
            }
        }
        d.originalMailFrom = firstOf(found, "original-mail-from", "envelope-from", "mail-from", "return-path");
        String rcpt = firstOf(found, "original-rcpt-to", "envelope-to", "rcpt-to", "recipient");
        if (rcpt != null) {
            d.originalRcptTo.add(rcpt);
        }
        readAlignment(found, d);
        if (NOTICE_WORDS.matcher(own).find() || (subject != null && subject.toLowerCase(Locale.ROOT).contains("dmarc"))) {
            d.authFailure.add("dmarc");
        }
    }

    /** Exim writes "SPF Alignment: yes|no" and "DKIM Alignment: yes|no". */
    private static void readAlignment(Map<String, List<String>> found, FailureReportDraft d) {
        String spf = firstOf(found, "spf-alignment");
        String dkim = firstOf(found, "dkim-alignment");
        if (spf == null && dkim == null) {
            return;
        }
        // RFC 7489 Identity-Alignment lists the mechanisms that produced an aligned identity; Exim's
        // yes/no lines say exactly that, so they map onto it without guessing.
        if (isYes(dkim)) {
            d.identityAlignment.add("dkim");
        }
        if (isYes(spf)) {
            d.identityAlignment.add("spf");
        }
        if (d.identityAlignment.isEmpty()) {
            d.identityAlignment.add("none");
        }
    }

    private static boolean isYes(String s) {
        return s != null && s.strip().toLowerCase(Locale.ROOT).matches("yes|pass|true|aligned");
    }

    private static String firstOf(Map<String, List<String>> found, String... names) {
        for (String n : names) {
            List<String> v = found.get(n);
            if (v != null && !v.isEmpty() && !v.get(0).isBlank()) {
                return v.get(0).strip();
            }
        }
        return null;
    }
}
