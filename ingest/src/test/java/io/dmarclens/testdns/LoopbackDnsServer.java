package io.dmarclens.testdns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * A real authoritative DNS server on 127.0.0.1 (UDP and TCP, random port) for tests, built on
 * dnsjava's message classes. Zones are given as records; names can be made to time out or SERVFAIL.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Set<Name> failing = ConcurrentHashMap.newKeySet();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Thread udpThread;
    private final Thread tcpThread;
    private volatile boolean open = true;

    public LoopbackDnsServer() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        tcp = new ServerSocket(0, 50, loopback);
        udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
        udpThread = new Thread(this::serveUdp, "test-dns-udp");
        tcpThread = new Thread(this::serveTcp, "test-dns-tcp");
        udpThread.setDaemon(true);
        tcpThread.setDaemon(true);
        udpThread.start();
        tcpThread.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort());
    }

    /** "127.0.0.1:port", as given to {@code --dns}. */
    public String hostPort() {
        return "127.0.0.1:" + tcp.getLocalPort();
    }

    public LoopbackDnsServer add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new ArrayList<>()).add(record);
        return this;
    }

    /** Adds a TXT record, splitting long text into 255-byte strings as a real zone would. */
    public LoopbackDnsServer txt(String name, String text) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            strings.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return add(new TXTRecord(name(name), DClass.IN, 300, strings));
    }

    /** Takes every record of this name away again (a record deleted from the zone). */
    public LoopbackDnsServer remove(String name) {
        records.remove(name(name));
        return this;
    }

    /** Questions about this name get no answer at all (the client times out). */
    public LoopbackDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    /** Questions about this name get SERVFAIL. */
    public LoopbackDnsServer servfail(String name) {
        failing.add(name(name));
        return this;
    }

    public static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private byte[] answer(byte[] query, int maxLength) throws IOException {
        Message request = new Message(query);
        Record question = request.getQuestion();
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        if (silent.contains(qname)) {
            return null;
        }
        if (failing.contains(qname)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response.toWire();
        }
        List<Record> all = records.get(qname);
        boolean exists = all != null || records.keySet().stream().anyMatch(n -> n.subdomain(qname) && !n.equals(qname));
        if (!exists) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else if (all != null) {
            for (Record r : all) {
                if (r.getType() == question.getType()) {
                    response.addRecord(r, Section.ANSWER);
                }
            }
        }
        byte[] wire = response.toWire();
        if (wire.length > maxLength) {
            Message truncated = new Message(request.getHeader().getID());
            truncated.getHeader().setFlag(Flags.QR);
            truncated.getHeader().setFlag(Flags.TC);
            truncated.addRecord(question, Section.QUESTION);
            return truncated.toWire();
        }
        return wire;
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (open) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] reply = answer(query, 512);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (open) {
            try (Socket socket = tcp.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = answer(query, 65535);
                if (reply != null) {
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        udp.close();
        tcp.close();
    }
}
