package io.dmarclens.ingest.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS sockets that trust exactly the certificates of one PEM file (a private CA, or a server's own
 * self-signed certificate), for one IMAP account; the JVM's trust store and every other connection stay
 * as they are. Chain validation and the mail client's host name check still apply.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /**
     * TLS sockets trusting the certificates of {@code pemFile}; also how the configuration is checked
     * before {@code serve} starts.
     *
     * @throws IOException when the file cannot be read or holds no certificate (the message names it)
     */
    public static SSLSocketFactory socketFactory(Path pemFile) throws IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            // The parser's own words ("signed overrun, bytes = 918") say nothing to a user; they stay in the cause.
            throw new IOException(pemFile + " holds no readable certificate (expected PEM: -----BEGIN CERTIFICATE-----)", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(pemFile + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                trust.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificates in " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
