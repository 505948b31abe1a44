package io.dmarclens.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback for servers that tests start in other processes (OpenSearch nodes, {@code serve},
 * Dovecot), which must be told their port before they bind it.
 *
 * <p>A port the kernel hands out for {@code bind(0)} and that is closed again is free for anyone: the next
 * {@code bind(0)} may get it again, and so may any outgoing connection of the machine, since both draw from the
 * ephemeral range. A CI run once gave two OpenSearch nodes the same HTTP port: the second joined the cluster by
 * its transport port, failed to bind HTTP and stayed half started, and the cluster's writes then hung. So the
 * ports here are drawn at random below the ephemeral range, and the ports of one call are all held open until
 * every one is chosen, which makes them distinct.
 */
public final class LoopbackPorts {
    private static final int LOWEST = 10_000;

    private LoopbackPorts() {
    }

    /** One free port. */
    public static int free() {
        return free(1)[0];
    }

    /** {@code n} distinct free ports. */
    public static int[] free(int n) {
        int highest = ephemeralStart();
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = bindSome(highest);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket that accepted nothing does not fail in a way that matters here
                }
            }
        }
    }

    private static ServerSocket bindSome(int highest) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest);
            ServerSocket s = null;
            try {
                s = new ServerSocket();
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(loopback, port), 1);
                return s;
            } catch (IOException taken) {
                closeQuietly(s);
            }
        }
        throw new UncheckedIOException(new IOException("no free port on loopback between " + LOWEST + " and " + highest));
    }

    /** The first port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read). */
    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST + 2_000 ? start : 65_000;
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;
        }
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing was bound
            }
        }
    }
}
