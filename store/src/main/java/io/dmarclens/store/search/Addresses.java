package io.dmarclens.store.search;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address arithmetic on the 16-byte form every store compares addresses in (IPv4 as IPv4-mapped IPv6),
 * as Lucene's InetAddressPoint does: the next address up or down, the smallest and the largest.
 */
final class Addresses {
    static final InetAddress MIN_VALUE = decode(new byte[16]);
    static final InetAddress MAX_VALUE = decode(filled((byte) 0xff));

    private Addresses() {
    }

    static InetAddress parseLiteral(String literal) {
        InetAddress a = IpLiterals.parse(literal);
        if (a == null) {
            throw new IllegalArgumentException(literal);
        }
        return a;
    }

    /** The 16-byte form: IPv4 addresses as {@code ::ffff:a.b.c.d}. */
    static byte[] encode(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(raw, 0, out, 12, 4);
        return out;
    }

    static InetAddress decode(byte[] sixteen) {
        try {
            return InetAddress.getByAddress(sixteen); // an IPv4-mapped address comes back as IPv4
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static InetAddress nextUp(InetAddress address) {
        byte[] b = encode(address);
        if (java.util.Arrays.equals(b, filled((byte) 0xff))) {
            throw new ArithmeticException("Overflow: there is no greater InetAddress than " + address.getHostAddress());
        }
        for (int i = 15; i >= 0; i--) {
            if (++b[i] != 0) {
                break;
            }
        }
        return decode(b);
    }

    static InetAddress nextDown(InetAddress address) {
        byte[] b = encode(address);
        if (java.util.Arrays.equals(b, new byte[16])) {
            throw new ArithmeticException("Underflow: there is no smaller InetAddress than " + address.getHostAddress());
        }
        for (int i = 15; i >= 0; i--) {
            if (b[i]-- != 0) {
                break;
            }
        }
        return decode(b);
    }

    private static byte[] filled(byte value) {
        byte[] b = new byte[16];
        java.util.Arrays.fill(b, value);
        return b;
    }
}
