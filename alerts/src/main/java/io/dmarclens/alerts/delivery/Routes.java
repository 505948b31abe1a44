package io.dmarclens.alerts.delivery;

import io.dmarclens.store.alerts.AlertLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the notices of each policy domain go: the channels routed to that domain, or the default channels
 * when none are. Notices about all domains (digests across domains, rules about DMARC Lens itself) go to
 * the default channels.
 */
public final class Routes {
    private final List<Channel> defaults;
    private final Map<String, List<Channel>> byDomain;
    private final Routes next;

    /**
     * @param defaults the channels of domains without their own
     * @param byDomain channels by policy domain (names compared without case)
     */
    public Routes(List<Channel> defaults, Map<String, List<Channel>> byDomain) {
        this(defaults, byDomain, null);
    }

    private Routes(List<Channel> defaults, Map<String, List<Channel>> byDomain, Routes next) {
        this.next = next;
        this.defaults = List.copyOf(defaults);
        Map<String, List<Channel>> m = new TreeMap<>();
        byDomain.forEach((d, cs) -> m.computeIfAbsent(d.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(cs));
        m.replaceAll((d, cs) -> List.copyOf(cs));
        this.byDomain = Map.copyOf(m);
    }

    /** The channels a notice about {@code domain} goes to. */
    public List<Channel> channelsFor(String domain) {
        List<Channel> own = AlertLog.ALL_DOMAINS.equals(domain) ? defaults
                : byDomain.getOrDefault(domain.toLowerCase(Locale.ROOT), defaults);
        if (next == null) {
            return own;
        }
        List<Channel> all = new ArrayList<>(own);
        all.addAll(next.channelsFor(domain));
        return List.copyOf(all);
    }

    /**
     * These routes and {@code other}'s, each falling back to its own default: a domain with its own mail
     * recipients but no hook of its own still goes to the default hooks.
     */
    public Routes and(Routes other) {
        return new Routes(defaults, byDomain, next == null ? other : next.and(other));
    }

    /** Whether any channel is configured at all. */
    public boolean isEmpty() {
        return defaults.isEmpty() && byDomain.isEmpty() && (next == null || next.isEmpty());
    }
}
