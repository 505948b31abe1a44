package io.dmarclens.parser.failure;

import java.util.List;

/**
 * The message that failed, as the failure report carried it (whole, or its headers only).
 *
 * @param from                  From header, or null
 * @param to                    To header, or null
 * @param subject               Subject (RFC 2047 decoded), or null
 * @param date                  Date header as written, or null
 * @param messageId             Message-ID, or null
 * @param dkimSignatures        d= and s= of each DKIM-Signature header
 * @param authenticationResults Authentication-Results headers
 * @param headers               every header, in order
 * @param headersOnly           true when only the headers were sent (text/rfc822-headers)
 * @param bodyBytes             size of the body that was sent, 0 when headers only
 */
public record OriginalMessage(String from, String to, String subject, String date, String messageId,
                              List<DkimSignatureRef> dkimSignatures, List<String> authenticationResults,
                              List<Header> headers, boolean headersOnly, long bodyBytes) {
    public OriginalMessage {
        dkimSignatures = List.copyOf(dkimSignatures);
        authenticationResults = List.copyOf(authenticationResults);
        headers = List.copyOf(headers);
    }

    /** One header field as written (value unfolded). */
    public record Header(String name, String value) {
    }

    /** The signing domain (d=) and selector (s=) of one DKIM-Signature header. */
    public record DkimSignatureRef(String domain, String selector) {
    }
}
