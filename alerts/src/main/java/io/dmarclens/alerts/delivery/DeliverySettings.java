package io.dmarclens.alerts.delivery;

import io.dmarclens.alerts.digest.DigestChart;
import io.dmarclens.alerts.digest.DigestSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where notices and digests go and how they are retried (configuration keys {@code alerts.mail.*},
 * {@code alerts.hooks*}, {@code alerts.delivery.*} and {@code alerts.digest.*}; docs/configuration.md).
 *
 * @param relay        the SMTP relay, or null when no mail is sent
 * @param recipients   mail recipients: entries {@code address} (the default) or {@code domain=address}
 * @param hooks        web hooks: entries {@code format:url} (the default) or {@code domain=format:url}
 * @param hookSecret   the secret web hook bodies are signed with, or null for unsigned
 * @param hookTimeout  connect and answer timeout of a web hook
 * @param dashboardUrl the dashboard's address for links in mails and hooks, or null to use the listen address
 * @param firstRetry   the wait after a failed attempt; it doubles with each failure
 * @param maxRetry     the longest wait between attempts
 * @param every        how often the outbox is looked at
 * @param digests      the digests' cadence and scope
 */
public record DeliverySettings(MailRelay relay, List<String> recipients, List<String> hooks, String hookSecret,
                               Duration hookTimeout, String dashboardUrl, Duration firstRetry, Duration maxRetry,
                               Duration every, DigestSettings digests) {
    public DeliverySettings {
        recipients = List.copyOf(recipients);
        hooks = List.copyOf(hooks);
        Objects.requireNonNull(hookTimeout, "hookTimeout");
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(digests, "digests");
        if (!recipients.isEmpty() && relay == null) {
            throw new IllegalArgumentException("alerts.mail.to names recipients but alerts.mail.host names no relay");
        }
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("the first retry wait must be positive and at most the longest ("
                    + firstRetry + ", " + maxRetry + ")");
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the delivery interval must be positive, not " + every);
        }
        // parse once now, so that a wrong entry stops start-up with its own words
        routes(relay, recipients, hooks, hookSecret, hookTimeout,
                Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC), "http://localhost");
    }

    /** Nothing is sent; weekly digests are still written to the outbox (shown on the Alerts page). */
    public static DeliverySettings none() {
        return new DeliverySettings(null, List.of(), List.of(), null, Duration.ofSeconds(10), null, Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofSeconds(30), DigestSettings.defaults());
    }

    /** Whether any channel is configured. */
    public boolean sends() {
        return !recipients.isEmpty() || !hooks.isEmpty();
    }

    /** The channels by domain, with the default. */
    public Routes routes(Clock clock, String fallbackDashboardUrl) {
        return routes(relay, recipients, hooks, hookSecret, hookTimeout, clock,
                dashboardUrl != null ? dashboardUrl : fallbackDashboardUrl);
    }

    private static Routes routes(MailRelay relay, List<String> recipients, List<String> hooks, String hookSecret,
                                 Duration hookTimeout, Clock clock, String dashboard) {
        List<Channel> defaults = new ArrayList<>();
        Map<String, List<Channel>> byDomain = new LinkedHashMap<>();
        List<Channel> hookDefaults = new ArrayList<>();
        Map<String, List<Channel>> hooksByDomain = new LinkedHashMap<>();
        DigestChart chart = new DigestChart();
        for (String entry : recipients) {
            String[] dr = split(entry);
            Channel c;
            try {
                c = new MailChannel(relay, dr[1], dashboard, chart, clock);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts.mail.to: '" + entry + "' is not a mail address, nor "
                        + "domain=address", e);
            }
            add(defaults, byDomain, dr[0], c);
        }
        for (String entry : hooks) {
            String[] dr = split(entry);
            int colon = dr[1].indexOf(':');
            HookFormat format;
            try {
                format = HookFormat.valueOf(dr[1].substring(0, Math.max(colon, 0)).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts.hooks: an entry is [domain=]FORMAT:URL with FORMAT json, slack,"
                        + " teams or mattermost; one starts with '" + dr[1].substring(0, Math.min(12, dr[1].length()))
                        + "'", e);
            }
            URI url;
            try {
                url = URI.create(dr[1].substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alerts.hooks: a " + format.name().toLowerCase(Locale.ROOT)
                        + " hook's address is not a URL", e);
            }
            add(hookDefaults, hooksByDomain, dr[0], new HookChannel(url, format, hookSecret, dashboard, hookTimeout,
                    clock));
        }
        return new Routes(defaults, byDomain).and(new Routes(hookDefaults, hooksByDomain));
    }

    private static String[] split(String entry) {
        int eq = entry.indexOf('=');
        int colon = entry.indexOf(':');
        int at = entry.indexOf('@');
        // domain=... only when the '=' comes before any ':' or '@' (URLs and addresses may hold '=')
        if (eq > 0 && (colon < 0 || eq < colon) && (at < 0 || eq < at)) {
            return new String[] {entry.substring(0, eq).strip(), entry.substring(eq + 1).strip()};
        }
        return new String[] {null, entry.strip()};
    }

    private static void add(List<Channel> defaults, Map<String, List<Channel>> byDomain, String domain, Channel c) {
        if (domain == null) {
            defaults.add(c);
        } else {
            byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).add(c);
        }
    }

    @Override
    public String toString() {
        return "DeliverySettings[" + relay + ", " + recipients.size() + " recipients, " + hooks.size() + " hooks, "
                + digests + "]";
    }
}
