package io.dmarclens.ingest.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay in front of an IMAP server that writes down every SASL XOAUTH2 login going through it: the
 * bearer token the client sent, when, and whether the server said OK. It can also cut every connection
 * (the server ending its sessions). Bytes pass unchanged.
 */
final class XoauthRecorder implements AutoCloseable {
    /** One AUTHENTICATE XOAUTH2: the token sent, when (nanoTime), and the server's answer once it came. */
    static final class Attempt {
        final String token;
        final long sentNanos;
        volatile Boolean accepted;

        Attempt(String token, long sentNanos) {
            this.token = token;
            this.sentNanos = sentNanos;
        }

        @Override
        public String toString() {
            return token + (accepted == null ? "?" : accepted ? " OK" : " NO");
        }
    }

    private static final Pattern BEARER = Pattern.compile("auth=Bearer ([^\\x01]+)\\x01");
    private static final Pattern TAGGED = Pattern.compile("^\\S+ (OK|NO|BAD)\\b.*");

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    XoauthRecorder(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "xoauth-recorder");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Cuts every open connection, as a server ending its sessions does; new ones are still accepted. */
    void dropConnections() {
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                Attempt[] pending = new Attempt[1];
                pump(client, server, line -> {
                    Matcher m = BEARER.matcher(decoded(line));
                    if (m.find()) {
                        Attempt a = new Attempt(m.group(1), System.nanoTime());
                        synchronized (pending) {
                            pending[0] = a;
                        }
                        attempts.add(a);
                    }
                });
                pump(server, client, line -> {
                    synchronized (pending) {
                        if (pending[0] != null && TAGGED.matcher(line).matches()) {
                            pending[0].accepted = line.split(" ")[1].equals("OK");
                            pending[0] = null;
                        }
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The line's base64 words decoded (an XOAUTH2 initial response is one), or the line itself. */
    private static String decoded(String line) {
        StringBuilder text = new StringBuilder(line);
        for (String word : line.split(" ")) {
            if (word.length() > 16 && word.matches("[A-Za-z0-9+/=]+")) {
                try {
                    text.append(' ').append(new String(Base64.getDecoder().decode(word), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException notBase64) {
                    // an ordinary word
                }
            }
        }
        return text.toString();
    }

    private static void pump(Socket from, Socket to, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines.accept(line.toString(StandardCharsets.ISO_8859_1).strip());
                            line.reset();
                        } else if (line.size() < 64 * 1024) {
                            line.write(buffer[i]);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "xoauth-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        dropConnections();
    }
}
