package io.dmarclens.ingest.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TLS front for a plain IMAP test server (GreenMail has no IMAP STARTTLS, and its IMAPS certificate
 * names no host, so no client that checks the server's identity can accept it). It speaks real TLS
 * (the JDK's) with a test certificate, either from the first byte (IMAPS) or after answering
 * CAPABILITY and STARTTLS itself (STARTTLS), then relays the decrypted IMAP session to the server and
 * keeps what the client sent, before and after TLS, for the test to check.
 */
public final class TlsFront implements AutoCloseable {
    /** How the client starts TLS. */
    public enum Mode { IMPLICIT_TLS, STARTTLS }

    private static final String CAPABILITIES = "IMAP4rev1 STARTTLS LOGINDISABLED";

    private final Mode mode;
    private final SSLContext tls;
    private final int targetPort;
    private final ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<String> beforeTls = new CopyOnWriteArrayList<>();
    private final StringBuffer afterTls = new StringBuffer();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public TlsFront(Mode mode, SSLContext tls, int targetPort) throws IOException {
        this.mode = mode;
        this.tls = tls;
        this.targetPort = targetPort;
        this.listener = mode == Mode.IMPLICIT_TLS
                ? tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "tls-front-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** TCP connections accepted so far (each a login attempt of the client). */
    public int connections() {
        return connections.get();
    }

    /** TLS handshakes completed so far. */
    public int handshakes() {
        return handshakes.get();
    }

    /** The lines the client sent in the clear, before STARTTLS (STARTTLS mode only). */
    public List<String> linesBeforeTls() {
        return List.copyOf(beforeTls);
    }

    /** Everything the client sent inside TLS, as ISO-8859-1 text. */
    public String sentInsideTls() {
        return afterTls.toString();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "tls-front-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            SSLSocket secure;
            if (mode == Mode.STARTTLS) {
                if (!negotiateStartTls(client)) {
                    client.close();
                    return;
                }
                secure = (SSLSocket) tls.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
                secure.setUseClientMode(false);
            } else {
                secure = (SSLSocket) client;
            }
            secure.startHandshake();
            handshakes.incrementAndGet();
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(secure);
            open.add(server);
            if (mode == Mode.STARTTLS) {
                readLine(server.getInputStream()); // the client had our greeting; drop the server's
            }
            pump(server.getInputStream(), secure.getOutputStream(), null, server, secure);
            pump(secure.getInputStream(), server.getOutputStream(), afterTls, secure, server);
        } catch (IOException e) {
            closeQuietly(client); // a refused certificate, or the client went away
        }
    }

    /** Answers the client in the clear until it asks for STARTTLS; false when it gives up first. */
    private boolean negotiateStartTls(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        write(out, "* OK [CAPABILITY " + CAPABILITIES + "] TLS front ready");
        String line;
        while ((line = readLine(in)) != null) {
            beforeTls.add(line);
            String[] words = line.split(" ", 3);
            String tag = words[0];
            String command = words.length > 1 ? words[1].toUpperCase(java.util.Locale.ROOT) : "";
            switch (command) {
                case "CAPABILITY" -> write(out, "* CAPABILITY " + CAPABILITIES + "\r\n" + tag + " OK CAPABILITY done");
                case "STARTTLS" -> {
                    write(out, tag + " OK Begin TLS negotiation now");
                    return true;
                }
                case "LOGOUT" -> {
                    write(out, "* BYE\r\n" + tag + " OK LOGOUT done");
                    return false;
                }
                default -> write(out, tag + " BAD STARTTLS first");
            }
        }
        return false;
    }

    private static void write(OutputStream out, String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One CRLF-terminated line, read byte by byte so that nothing after it (the TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    private static void pump(InputStream in, OutputStream out, StringBuffer record, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (in; out) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (record != null) {
                        record.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, "tls-front-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(TlsFront::closeQuietly);
    }
}
