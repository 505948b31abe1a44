package io.dmarclens.parser.aggregate;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks that a {@code source_ip} is an IPv4 or IPv6 literal. IPv4 is checked by hand (it is most
 * records, and cheap); IPv6 goes to {@link InetAddress}, but only once the string is known to hold
 * nothing but hex digits, colons and dots, so that it can never trigger a DNS lookup.
 */
final class IpLiteral {
    private IpLiteral() {
    }

    static boolean isValid(String s) {
        if (s.indexOf(':') >= 0) {
            return isIpv6(s);
        }
        return isIpv4(s, 0, s.length());
    }

    private static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return false; // leading zero: ambiguous (octal to some parsers)
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0 || ++parts > 3) {
                    return false;
                }
                value = -1;
                digits = 0;
            } else {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    private static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        try {
            // Only hex digits, colons and dots reach here: InetAddress parses it as a literal, no DNS.
            return InetAddress.getByName(s) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
