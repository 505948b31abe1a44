package io.dmarclens.posture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks one DNS server questions with dnsjava and turns every outcome, including timeouts and server
 * failures, into a {@link DnsAnswer}. Answers are memoised for the life of the client, since one check
 * asks for the same SPF include or MX name several times.
 */
public final class DnsClient {
    private final Resolver resolver;
    private final ConcurrentMap<String, DnsAnswer> answers = new ConcurrentHashMap<>();

    /** A client for the given server; {@code null} means the system's resolver from /etc/resolv.conf. */
    public DnsClient(InetSocketAddress server, Duration timeout) {
        try {
            SimpleResolver simple = server == null ? new SimpleResolver() : new SimpleResolver(server);
            simple.setTimeout(timeout);
            this.resolver = simple;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("no usable DNS resolver: " + e.getMessage(), e);
        }
    }

    /** Parses {@code HOST:PORT} or {@code HOST} (port 53), e.g. {@code 127.0.0.1:5353}. */
    public static InetSocketAddress parseServer(String hostPort) {
        String host = hostPort;
        int port = 53;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && hostPort.indexOf(':') == colon) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DNS server '" + hostPort + "': port is not a number");
            }
        } else if (hostPort.startsWith("[") && hostPort.contains("]:")) {
            host = hostPort.substring(1, hostPort.indexOf(']'));
            port = Integer.parseInt(hostPort.substring(hostPort.indexOf("]:") + 2));
        }
        return new InetSocketAddress(host, port);
    }

    public DnsAnswer txt(String name) {
        return ask(name, Type.TXT);
    }

    public DnsAnswer mx(String name) {
        return ask(name, Type.MX);
    }

    public DnsAnswer a(String name) {
        return ask(name, Type.A);
    }

    public DnsAnswer aaaa(String name) {
        return ask(name, Type.AAAA);
    }

    private DnsAnswer ask(String name, int type) {
        String key = name.toLowerCase(java.util.Locale.ROOT) + "/" + type;
        return answers.computeIfAbsent(key, k -> query(name, type));
    }

    private DnsAnswer query(String name, int type) {
        String typeName = Type.string(type);
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new DnsAnswer(name, typeName, DnsAnswer.Status.ERROR, List.of(), "not a valid DNS name");
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(qname, type, DClass.IN)));
        } catch (SocketTimeoutException e) {
            return new DnsAnswer(name, typeName, DnsAnswer.Status.TIMEOUT, List.of(), "");
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            DnsAnswer.Status status = why.toLowerCase(java.util.Locale.ROOT).contains("timed out")
                    ? DnsAnswer.Status.TIMEOUT : DnsAnswer.Status.ERROR;
            return new DnsAnswer(name, typeName, status, List.of(), why);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new DnsAnswer(name, typeName, DnsAnswer.Status.NXDOMAIN, List.of(), "");
        }
        if (rcode == Rcode.SERVFAIL) {
            return new DnsAnswer(name, typeName, DnsAnswer.Status.SERVFAIL, List.of(), "");
        }
        if (rcode != Rcode.NOERROR) {
            return new DnsAnswer(name, typeName, DnsAnswer.Status.ERROR, List.of(), Rcode.string(rcode));
        }
        List<String> values = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() != type) {
                continue; // CNAMEs on the way are followed by the server; only the final type matters
            }
            if (r instanceof TXTRecord txt) {
                values.add(String.join("", txt.getStrings()));
            } else if (r instanceof MXRecord mx) {
                values.add(mx.getPriority() + " " + stripDot(mx.getTarget().toString()));
            } else {
                values.add(r.rdataToString());
            }
        }
        return values.isEmpty()
                ? new DnsAnswer(name, typeName, DnsAnswer.Status.NODATA, List.of(), "")
                : new DnsAnswer(name, typeName, DnsAnswer.Status.OK, values, "");
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
