package io.dmarclens.ingest.dkim;

import io.dmarclens.ingest.enrich.ReverseDns;
import io.dmarclens.parser.DomainNames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.Result;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.apache.james.mime4j.dom.address.MailboxList;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.xbill.DNS.Resolver;

/**
 * Checks the DKIM signatures of a report mail (RFC 6376, with Apache jDKIM) and says which signing domains
 * verified. Per mail: one key lookup (cached, {@link DkimKeys}) and one RSA verification per signature.
 *
 * <p>Thread-safe: a verifier is made per mail (jDKIM's keeps per-message results).
 */
public final class DkimCheck {
    /** Longest message of a stranger's signature quoted in a reason. */
    private static final int MAX_DETAIL = 120;
    /**
     * Most signatures a mail may carry: each costs a key lookup and an RSA verification, so a stranger's mail
     * with hundreds would be hundreds of DNS questions. Real report mails carry one or two.
     */
    static final int MAX_SIGNATURES = 5;
    /** How much of the header is read to count the signatures (a larger header is left to jDKIM's own limits). */
    private static final int HEADER_SCAN = 256 * 1024;
    /** How long one key lookup may take: a stranger's silent name server must not hold an inbox worker. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(3);

    private final PublicKeyRecordRetriever keys;

    /** @param keys where public keys come from (a {@link DkimKeys}) */
    public DkimCheck(PublicKeyRecordRetriever keys) {
        this.keys = keys;
    }

    /** No check (offline mode): mails get "not checked (offline)". */
    public static DkimCheck offline() {
        return new DkimCheck(null);
    }

    /**
     * A check asking {@code dnsServer} ({@code host:port}), or the system's resolvers when null.
     *
     * @throws UnknownHostException the DNS server's host is unknown
     */
    public static DkimCheck online(String dnsServer, Clock clock) throws UnknownHostException {
        Resolver resolver = dnsServer == null ? ReverseDns.systemResolver() : ReverseDns.resolver(dnsServer);
        resolver.setTimeout(LOOKUP_TIMEOUT);
        return new DkimCheck(new DkimKeys(resolver, clock));
    }

    /** Whether mails are checked at all. */
    public boolean online() {
        return keys != null;
    }

    /**
     * Checks one message.
     *
     * @param mail the whole message as received (headers and body)
     * @throws IOException the message could not be read
     */
    public MailSignatures check(InputStream mail) throws IOException {
        if (keys == null) {
            return MailSignatures.notChecked("offline");
        }
        InputStream in = mail.markSupported() ? mail : new BufferedInputStream(mail, 1 << 16);
        String header = header(in);
        int signatures = countSignatures(header);
        String from = fromDomain(header);
        if (signatures > MAX_SIGNATURES) {
            return new MailSignatures(true, List.of(), "more than " + MAX_SIGNATURES + " DKIM signatures ("
                    + signatures + "): not checked", from);
        }
        DKIMVerifier verifier = new DKIMVerifier(keys);
        List<SignatureRecord> valid;
        String failure = null;
        boolean temporary = false;
        try {
            valid = verifier.verify(in);
        } catch (TempFailException e) {
            valid = null;
            temporary = true;
            failure = e.getMessage();
        } catch (FailException e) {
            valid = null;
            failure = e.getMessage();
        } catch (RuntimeException e) { // a malformed signature header jDKIM does not expect
            valid = null;
            failure = "unreadable DKIM signature";
        }
        Set<String> domains = new LinkedHashSet<>();
        if (valid != null) {
            for (SignatureRecord r : valid) {
                domains.add(r.getDToken().toString().toLowerCase(Locale.ROOT));
            }
        }
        if (!domains.isEmpty()) {
            return new MailSignatures(true, new ArrayList<>(domains), "", from);
        }
        List<Result> results = verifier.getResults();
        if ((results == null || results.isEmpty()) && failure == null) {
            return new MailSignatures(true, List.of(), "no DKIM signature", from);
        }
        if (failure == null && results != null) {
            for (Result r : results) {
                if (r.isFail() || r.getErrorMessage() != null) {
                    failure = r.getErrorMessage();
                    temporary |= r.getResultType() == Result.Type.TEMPERROR;
                    break;
                }
            }
        }
        String detail = bounded(Objects.requireNonNullElse(failure, "invalid"));
        return new MailSignatures(true, List.of(),
                (temporary ? "DKIM key could not be fetched: " : "DKIM signature does not verify: ") + detail, from);
    }

    /** The header of the message (its first {@link #HEADER_SCAN} bytes at most), then rewinds the stream to its start. */
    private static String header(InputStream in) throws IOException {
        in.mark(HEADER_SCAN + 1);
        byte[] head = in.readNBytes(HEADER_SCAN);
        in.reset();
        String header = new String(head, StandardCharsets.ISO_8859_1);
        int end = header.indexOf("\r\n\r\n");
        if (end < 0) {
            end = header.indexOf("\n\n");
        }
        return end >= 0 ? header.substring(0, end) : header;
    }

    /** Counts the DKIM-Signature fields of the header. */
    private static int countSignatures(String header) {
        Matcher m = SIGNATURE_FIELD.matcher(header);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    /**
     * The domain of the one address in the header's one From field, lower case, or null: no From, several From
     * fields or several addresses (a signature covers one of them only, and which one a reader shows varies), or
     * an address without a domain.
     */
    static String fromDomain(String header) {
        Matcher m = FROM_FIELD.matcher(header);
        if (!m.find()) {
            return null;
        }
        String value = m.group(1).replaceAll("\\r?\\n(?=[ \\t])", "");
        if (m.find()) {
            return null;
        }
        MailboxList boxes = LenientAddressParser.DEFAULT.parseAddressList(value).flatten();
        if (boxes.size() != 1) {
            return null;
        }
        return DomainNames.normalise(boxes.get(0).getDomain());
    }

    private static final Pattern SIGNATURE_FIELD = Pattern.compile("(?im)^dkim-signature[ \\t]*:");
    /** A From field with its folded continuation lines. */
    private static final Pattern FROM_FIELD = Pattern.compile("(?im)^from[ \\t]*:(.*(?:\\r?\\n[ \\t].*)*)");

    private static String bounded(String s) {
        String oneLine = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL) + "…" : oneLine;
    }
}
