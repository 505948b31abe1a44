package io.dmarclens.store.search;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP address literals without ever touching DNS. */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** The address, or null when {@code text} is not an IPv4 or IPv6 literal (IPv6 may be in brackets). */
    public static InetAddress parse(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.isEmpty() || !looksLikeLiteral(t)) {
            return null;
        }
        try {
            // A literal never causes a lookup: getByName only resolves names, and we checked it is not one.
            return InetAddress.getByName(t);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean looksLikeLiteral(String t) {
        if (t.indexOf(':') >= 0) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
