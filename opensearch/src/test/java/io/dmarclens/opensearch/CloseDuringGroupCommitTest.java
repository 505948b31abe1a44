package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.query.ReportFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing a store while its timer commits a group: the close waits for that commit instead of interrupting it.
 * An interrupted commit failed half-way and its reports were lost although they had been accepted (a killed
 * {@code migrate} run lost its last reports that way, and the next run copied them again).
 */
@ExtendWith(DropIndicesAfterClass.class)
class CloseDuringGroupCommitTest {
    @Test
    void closeWaitsForAGroupCommitUnderWayAndItsReportsStay(TestInfo test) throws Exception {
        try (StoreOnNode n = new StoreOnNode(getClass(), test.getDisplayName());
             HoldingProxy proxy = new HoldingProxy(n.settings.urls().get(0))) {
            OpenSearchSettings s = n.settings;
            OpenSearchSettings viaProxy = new OpenSearchSettings(List.of(proxy.url()), s.user(), s.password(),
                    s.apiKey(), s.caCertificate(), s.indexPrefix(), s.shards(), s.replicas(), Duration.ofSeconds(5));
            OpenSearchStore store = OpenSearchStore.open(viaProxy, WritePathTest.CLOCK);
            WritePathTest.store(store, "g1.xml", "g1", WritePathTest.records("203.0.113"), null, CommitMode.GROUPED);
            proxy.hold();
            // The timer's commit of the group (its window is over) sends the group's documents and waits for the answer.
            assertTrue(proxy.arrived.await(60, TimeUnit.SECONDS), "the timed commit began");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                proxy.release();
            });
            release.start();
            store.close();
            release.join();
            assertEquals(17, n.open(WritePathTest.CLOCK).overview().totals(ReportFilter.all()).messages(),
                    "the report of the group committed while the store closed is there");
        }
    }

    /** A loopback TCP proxy to the node that, once told to hold, holds the group's bulk request until released. */
    private static final class HoldingProxy implements AutoCloseable {
        final CountDownLatch arrived = new CountDownLatch(1);
        private final ServerSocket server;
        private final URI target;
        private final Object lock = new Object();
        private boolean held;

        HoldingProxy(URI target) throws IOException {
            this.target = target;
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::accept, "holding-proxy");
            accept.setDaemon(true);
            accept.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        void hold() {
            synchronized (lock) {
                held = true;
            }
        }

        void release() {
            synchronized (lock) {
                held = false;
                lock.notifyAll();
            }
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket node = new Socket(target.getHost(), target.getPort());
                    pump(client, node, true);
                    pump(node, client, false);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean request) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                boolean gated = false;
                boolean bulk = false;
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int r; (r = in.read(buf)) >= 0; ) {
                        if (request) {
                            String chunk = new String(buf, 0, r, StandardCharsets.ISO_8859_1);
                            bulk |= chunk.contains("/_bulk"); // its head and its body may come in two reads
                            gated = awaitRelease(gated, bulk, chunk);
                        }
                        out.write(buf, 0, r);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // the connection ends
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "holding-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        /**
         * Holds the bulk request that sends the group's documents (it names the report), and what follows on its
         * connection, while held; every other request passes (the compaction's, a failed commit's clean-up).
         */
        private boolean awaitRelease(boolean gated, boolean bulk, String chunk) throws InterruptedException {
            synchronized (lock) {
                if (!gated && held && bulk && chunk.contains("\"g1\"")) {
                    gated = true;
                    arrived.countDown();
                }
                while (gated && held) {
                    lock.wait();
                }
                return gated;
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            release();
            server.close();
        }
    }
}
