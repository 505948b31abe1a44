package io.dmarclens.ingest.dkim;

import io.dmarclens.testdns.LoopbackDnsServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.james.jdkim.DKIMSigner;

/**
 * A test's own DKIM key for one domain and selector: the public half served as a TXT record by the loopback
 * DNS server, the private half signing mails with jDKIM's signer (relaxed/relaxed, rsa-sha256), as a real
 * reporter's mail server does.
 */
public final class DkimTestKeys {
    private final String domain;
    private final String selector;
    private final KeyPair keys;

    public DkimTestKeys(String domain, String selector) {
        this.domain = domain;
        this.selector = selector;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the public key at {@code selector._domainkey.domain}. */
    public DkimTestKeys publish(LoopbackDnsServer dns) {
        dns.txt(selector + "._domainkey." + domain,
                "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        return this;
    }

    /** The mail with a DKIM-Signature header of this key in front. */
    public byte[] sign(byte[] mail) {
        try {
            DKIMSigner signer = new DKIMSigner("v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                    + "; h=from:to:subject:date:message-id; bh=; b=;", keys.getPrivate());
            String header = signer.sign(new ByteArrayInputStream(mail));
            byte[] head = (header + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[head.length + mail.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(mail, 0, out, head.length, mail.length);
            return out;
        } catch (Exception e) { // jDKIM declares its failures as checked exceptions: a test signing cannot fail
            throw new IllegalStateException("cannot sign the test mail", e);
        }
    }
}
