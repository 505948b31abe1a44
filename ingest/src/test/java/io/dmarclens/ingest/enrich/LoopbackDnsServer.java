package io.dmarclens.ingest.enrich;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;

/**
 * A real UDP DNS server on loopback answering PTR queries from a table: names it knows, NXDOMAIN for
 * the rest, and silence for the addresses it is told to ignore (to provoke timeouts).
 */
final class LoopbackDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Name, String> ptr = new ConcurrentHashMap<>();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    final AtomicInteger queries = new AtomicInteger();
    private final Thread thread;

    LoopbackDnsServer() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
        thread.start();
    }

    String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    LoopbackDnsServer answer(String ip, String name) {
        ptr.put(ReverseMap.fromAddress(OwnSenders.address(ip)), name);
        return this;
    }

    LoopbackDnsServer ignore(String ip) {
        silent.add(ReverseMap.fromAddress(OwnSenders.address(ip)));
        return this;
    }

    private void serve() {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                queries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                if (silent.contains(question.getName())) {
                    continue;
                }
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.RD);
                response.getHeader().setFlag(Flags.RA);
                response.addRecord(question, Section.QUESTION);
                String target = ptr.get(question.getName());
                if (target == null) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    response.addRecord(new PTRRecord(question.getName(), DClass.IN, 3600,
                            Name.fromString(target + ".")), Section.ANSWER);
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
