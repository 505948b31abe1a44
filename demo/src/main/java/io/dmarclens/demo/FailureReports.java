package io.dmarclens.demo;

import java.util.SplittableRandom;

/**
 * ARF failure reports (RFC 5965, RFC 6591, RFC 9991) for single messages that failed DMARC: a human
 * readable part, the {@code message/feedback-report} fields and the original headers
 * ({@code text/rfc822-headers}, as most reporters send to protect recipients).
 */
final class FailureReports {
    private static final String[] SPOOF_SUBJECTS = {
        "Your invoice INV-%d is overdue",
        "Action required: password expires today",
        "Payment confirmation #%d",
        "Shared document: Q%d budget.xlsx",
        "Voicemail from +1 555 01%02d",
    };

    private FailureReports() {
    }

    /**
     * One failure report.
     *
     * @param reporterDomain the reporting receiver (e.g. mail.ru)
     * @param domain         the policy domain in the failing From
     * @param sourceIp       where the message came from
     * @param arrival        when it arrived (epoch seconds)
     * @param misconfigured  true for a legitimate service without DKIM, false for a spoof
     */
    static byte[] arf(String reporterDomain, String domain, String sourceIp, long arrival, boolean misconfigured,
                      SplittableRandom random) {
        String id = Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String boundary = "arf_" + id;
        String recipient = "user" + random.nextInt(1000, 9999) + "@" + reporterDomain;
        String subject = misconfigured ? "Your order has shipped"
                : String.format(SPOOF_SUBJECTS[random.nextInt(SPOOF_SUBJECTS.length)], random.nextInt(10, 99));
        String mailFrom = misconfigured ? "bounces+" + random.nextInt(100000, 999999) + "@u1234567.wl068.sendgrid.net"
                : "billing@" + domain;
        String from = misconfigured ? "Example Shop <orders@" + domain + ">" : "Accounts <billing@" + domain + ">";
        String date = Packaging.mailDate(arrival);
        String authResults = "mx." + reporterDomain + "; dmarc=fail (p=" + (misconfigured ? "quarantine" : "reject")
                + ") header.from=" + domain + "; spf=" + (misconfigured ? "pass" : "fail") + " smtp.mailfrom="
                + mailFrom.substring(mailFrom.indexOf('@') + 1) + "; dkim=" + (misconfigured ? "pass header.d=sendgrid.net"
                : "none");
        String mail = Packaging.headers("DMARC failure reports <dmarc-ruf@" + reporterDomain + ">",
                "dmarc-ruf@" + domain, "FW: " + subject, arrival + 300, "ruf-" + id + "@" + reporterDomain)
                + "MIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=feedback-report;\n"
                + "\tboundary=\"" + boundary + "\"\n"
                + "\n"
                + "--" + boundary + "\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "\n"
                + "This is an authentication failure report for an email message received from IP\n"
                + sourceIp + " on " + date + ".\n"
                + "\n"
                + "--" + boundary + "\n"
                + "Content-Type: message/feedback-report\n"
                + "\n"
                + "Feedback-Type: auth-failure\n"
                + "User-Agent: " + reporterDomain + " DMARC failure reporter/2.1\n"
                + "Version: 1\n"
                + "Original-Mail-From: <" + mailFrom + ">\n"
                + "Original-Rcpt-To: <" + recipient + ">\n"
                + "Arrival-Date: " + date + "\n"
                + "Reporting-MTA: dns; mx." + reporterDomain + "\n"
                + "Source-IP: " + sourceIp + "\n"
                + "Authentication-Results: " + authResults + "\n"
                + "Auth-Failure: dmarc\n"
                + "Identity-Alignment: none\n"
                + "Delivery-Result: " + (misconfigured ? "spam" : "reject") + "\n"
                + "Reported-Domain: " + domain + "\n"
                + "\n"
                + "--" + boundary + "\n"
                + "Content-Type: text/rfc822-headers\n"
                + "\n"
                + "Authentication-Results: " + authResults + "\n"
                + "Received: from " + (misconfigured ? "o1.ptr1234.sendgrid.net" : "unknown") + " ([" + sourceIp
                + "])\n\tby mx." + reporterDomain + " with ESMTP id " + id + "; " + date + "\n"
                + (misconfigured ? "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sendgrid.net; s=smtpapi;\n"
                + "\th=from:subject:to; bh=c2FtcGxlIGJvZHkgaGFzaA==; b=c2FtcGxlIHNpZ25hdHVyZQ==\n" : "")
                + "From: " + from + "\n"
                + "To: <" + recipient + ">\n"
                + "Subject: " + subject + "\n"
                + "Date: " + date + "\n"
                + "Message-ID: <" + id + "@" + (misconfigured ? "sendgrid.net" : domain) + ">\n"
                + "\n"
                + "--" + boundary + "--\n";
        return Packaging.crlf(mail);
    }
}
