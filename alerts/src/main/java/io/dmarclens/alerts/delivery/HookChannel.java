package io.dmarclens.alerts.delivery;

import io.dmarclens.store.alerts.Outbox.QueuedNotice;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a notice to one web hook. The body is signed: header {@code X-DmarcLens-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">} with the hook's secret, so a receiver can check that the
 * body came from this DMARC Lens and is fresh. {@code X-DmarcLens-Delivery} names the notice: a body
 * repeated after a crash between sending and recording it carries the same value.
 */
public final class HookChannel implements Channel {
    /** The signature header. */
    public static final String SIGNATURE_HEADER = "X-DmarcLens-Signature";
    /** The header naming the notice (the same on every attempt). */
    public static final String DELIVERY_HEADER = "X-DmarcLens-Delivery";

    private final URI url;
    private final HookFormat format;
    private final String secret;
    private final String dashboardUrl;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param url          the hook's address (http or https)
     * @param format       the body's shape
     * @param secret       the signing secret, or null to send unsigned (Slack, Teams and Mattermost ignore it)
     * @param dashboardUrl the dashboard's base address for links
     * @param timeout      connect and answer timeout
     * @param clock        the signature's timestamp
     */
    public HookChannel(URI url, HookFormat format, String secret, String dashboardUrl, Duration timeout, Clock clock) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("a web hook address is http:// or https:// with a host, not " + redacted(url));
        }
        this.url = url;
        this.format = format;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.dashboardUrl = dashboardUrl.endsWith("/") ? dashboardUrl.substring(0, dashboardUrl.length() - 1)
                : dashboardUrl;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The host and a digest of the format and address: hook addresses of Slack and Teams are secrets
     * themselves, and one address in two formats is two channels.
     */
    @Override
    public String id() {
        return "hook:" + url.getHost() + "#" + MailChannel.digest(format.name() + ":" + url).substring(0, 12);
    }

    @Override
    public void send(QueuedNotice queued) throws DeliveryException {
        String body = format.body(queued.notice(), dashboardUrl);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "DMARC-Lens")
                .header(DELIVERY_HEADER, Long.toString(queued.id()))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (secret != null) {
            request.header(SIGNATURE_HEADER, signature(secret, clock.instant().getEpochSecond(), body));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String answer = response.body() == null ? "" : response.body();
                throw new DeliveryException("the web hook " + id() + " answered " + response.statusCode()
                        + (answer.isBlank() ? "" : ": " + answer.substring(0, Math.min(200, answer.length())).strip()));
            }
        } catch (IOException e) {
            throw new DeliveryException("the web hook " + id() + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while posting to the web hook " + id(), e);
        }
    }

    /** {@code t=<seconds>,v1=<hex HMAC-SHA256 of "<seconds>.<body>">}. */
    public static String signature(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java", e);
        }
    }

    private static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + "/\u2026";
    }
}
