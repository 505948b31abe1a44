package io.dmarclens.ingest.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A self-signed certificate for localhost, written as PEM files, generated fresh in each test. */
public final class TestCertificates {
    public final Path certificate;
    public final Path key;
    public final X509Certificate x509;
    private final PrivateKey privateKey;

    private TestCertificates(Path certificate, Path key, X509Certificate x509, PrivateKey privateKey) {
        this.certificate = certificate;
        this.key = key;
        this.x509 = x509;
        this.privateKey = privateKey;
    }

    /** A TLS server context presenting this certificate, for test servers. */
    public SSLContext serverContext() throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", privateKey, password, new Certificate[] {x509});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static final Instant VALID_FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant VALID_UNTIL = Instant.parse("2999-12-31T23:59:59Z");

    public static TestCertificates localhost(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        // JSSE checks validity against the real system time, which no test clock moves: valid whatever the date.
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()),
                Date.from(VALID_FROM), Date.from(VALID_UNTIL), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        write(certFile, cert);
        write(keyFile, pair.getPrivate());
        return new TestCertificates(certFile, keyFile, cert, pair.getPrivate());
    }

    private static void write(Path file, Object pem) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(w)) {
            writer.writeObject(pem);
        }
    }
}
