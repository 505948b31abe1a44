package io.dmarclens.ingest.enrich;

import com.google.common.net.InetAddresses;
import io.dmarclens.parser.DomainNames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The infrastructure a domain owner declares as their own (configuration {@code ownSenders}): host
 * domains ({@code mail.example.com} matches that host and every host under it) and address ranges
 * ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a single address).
 */
public final class OwnSenders {
    public static final OwnSenders NONE = new OwnSenders(List.of());

    private final List<String> domains = new ArrayList<>();
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    /** @throws IllegalArgumentException naming the entry that is neither a domain nor an address range */
    public OwnSenders(List<String> entries) {
        for (String entry : entries) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            String address = slash < 0 ? e : e.substring(0, slash);
            if (InetAddresses.isInetAddress(address)) {
                byte[] bytes = InetAddresses.forString(address).getAddress();
                int prefix;
                try {
                    prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException notANumber) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("own sender '" + e + "': bad prefix length");
                }
                networks.add(bytes);
                prefixes.add(prefix);
            } else if (slash < 0 && DomainNames.normalise(e) != null) {
                domains.add(DomainNames.normalise(e));
            } else {
                throw new IllegalArgumentException("own sender '" + e + "' is neither a domain nor an address range");
            }
        }
    }

    /** Whether the source (address, PTR name) is declared as the domain owner's own. */
    public boolean contains(String ip, String reverseDns) {
        String host = DomainNames.normalise(reverseDns);
        if (host != null) {
            for (String d : domains) {
                if (host.equals(d) || host.endsWith("." + d)) {
                    return true;
                }
            }
        }
        if (networks.isEmpty() || ip == null || !InetAddresses.isInetAddress(ip.strip())) {
            return false;
        }
        byte[] address = InetAddresses.forString(ip.strip()).getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (inNetwork(address, networks.get(i), prefixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inNetwork(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    static boolean isAddress(String ip) {
        return ip != null && InetAddresses.isInetAddress(ip.strip());
    }

    static InetAddress address(String ip) {
        return InetAddresses.forString(ip.strip());
    }
}
