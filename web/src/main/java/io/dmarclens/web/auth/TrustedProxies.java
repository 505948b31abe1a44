package io.dmarclens.web.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} header is believed. A request from any other address
 * is from that address, whatever it claims; a request from a trusted proxy is from the nearest address in
 * its header that is not itself a trusted proxy (the header is read right to left, as each proxy appends
 * the address it saw, and everything left of the first stranger may be made up by that stranger).
 */
public final class TrustedProxies {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Trusts nobody: the client is always the peer of the connection. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /**
     * Reads addresses ({@code 10.0.0.5}, {@code ::1}) and networks ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming an entry that is neither
     */
    public static TrustedProxies of(List<String> entries) {
        List<Network> networks = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            int slash = e.indexOf('/');
            InetAddress address = literal(slash < 0 ? e : e.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address or network: '" + entry + "'"));
            int max = address.getAddress().length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException notANumber) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("the prefix length of '" + entry + "' must be 0 to " + max);
                }
            }
            networks.add(new Network(address.getAddress(), prefix));
        }
        return new TrustedProxies(networks);
    }

    /** True when no proxy is trusted. */
    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /**
     * The client of a request.
     *
     * @param peer          the address the connection came from
     * @param forwardedFor  every {@code X-Forwarded-For} header of the request, in order
     */
    public InetAddress client(InetAddress peer, List<String> forwardedFor) {
        if (!trusted(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return client; // garbage from a stranger: the last proxy's word is all we have
            }
            client = hop.get();
            if (!trusted(client)) {
                return client;
            }
        }
        return client;
    }

    boolean trusted(InetAddress address) {
        byte[] a = address.getAddress();
        return networks.stream().anyMatch(n -> n.contains(a));
    }

    /**
     * The address a literal names ({@code 192.0.2.1}, {@code 2001:db8::1}, {@code [2001:db8::1]}, a zone
     * after {@code %} ignored), never looking a name up in DNS; empty when it is no literal.
     */
    public static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text.indexOf('%');
        if (zone > 0 && text.indexOf(':') >= 0) {
            text = text.substring(0, zone);
        }
        var v4 = IPV4.matcher(text);
        boolean ok = v4.matches() ? allOctets(v4) : text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches();
        if (!ok) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: no lookup is made
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean allOctets(java.util.regex.Matcher m) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private record Network(byte[] bytes, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != bytes.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != bytes[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (bytes[full] & mask);
        }
    }
}
