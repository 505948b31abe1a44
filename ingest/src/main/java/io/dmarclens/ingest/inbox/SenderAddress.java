package io.dmarclens.ingest.inbox;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The unit limits count a sender by: an IPv4 address, or an IPv6 /64 (one host commonly holds a whole
 * /64, and would otherwise have 2^64 addresses to spread its connections or junk over).
 */
public final class SenderAddress {
    private static final Pattern LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private SenderAddress() {
    }

    public static String of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /** As {@link #of(InetAddress)} for an address literal; other text is returned as it is. */
    public static String of(String literal) {
        if (!LITERAL.matcher(literal).matches()) {
            return literal; // never a name: looking it up would ask DNS
        }
        try {
            return of(InetAddress.getByName(literal)); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
