package io.dmarclens.alerts.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A web hook receiver on loopback that checks each body's signature the way docs/alerts.md tells receivers
 * to, and answers 500 while told to fail.
 */
final class LoopbackHook implements AutoCloseable {
    /** One accepted POST. */
    record Received(String body, String delivery, String contentType) {
    }

    private final HttpServer server;
    private final String secret;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    volatile boolean failing;

    LoopbackHook(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            int status;
            if (failing) {
                refused.incrementAndGet();
                status = 500;
            } else if (secret != null && !valid(exchange.getRequestHeaders().getFirst("X-DmarcLens-Signature"), text)) {
                badSignatures.incrementAndGet();
                status = 401;
            } else {
                received.add(new Received(text, exchange.getRequestHeaders().getFirst("X-DmarcLens-Delivery"),
                        exchange.getRequestHeaders().getFirst("Content-Type")));
                status = 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Recomputes the HMAC over "t.body" independently of the code under test. */
    private boolean valid(String header, String body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
