package io.dmarclens.store.ingestlog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a message came from, kept with it in the inbox and in the ingest log: the SMTP envelope (peer
 * IP, HELO, MAIL FROM, RCPT TO), the IMAP account, folder and UID, or the user who uploaded a file.
 *
 * @param channel how it arrived
 * @param details what the channel knows about the sender, in a stable order (names like {@code peer},
 *                {@code helo}, {@code mail_from}, {@code rcpt_to}, {@code account}, {@code uid})
 */
public record MessageOrigin(Channel channel, Map<String, String> details) {
    /** How a message entered DMARC Lens. */
    public enum Channel {
        SMTP, IMAP, UPLOAD, FILE,
        /** A mailbox read through the Microsoft Graph API. */
        GRAPH,
        /** A mailbox read through the Gmail API. */
        GMAIL
    }

    public MessageOrigin {
        Objects.requireNonNull(channel, "channel");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static MessageOrigin smtp(String peer, String helo, String mailFrom, List<String> recipients) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("peer", nullToEmpty(peer));
        d.put("helo", nullToEmpty(helo));
        d.put("mail_from", nullToEmpty(mailFrom));
        d.put("rcpt_to", String.join(",", recipients));
        return new MessageOrigin(Channel.SMTP, d);
    }

    /** A message read from an IMAP folder; UIDVALIDITY and UID identify it for as long as the folder lives. */
    public static MessageOrigin imap(String account, String folder, long uidValidity, long uid) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("account", account);
        d.put("folder", folder);
        d.put("uidvalidity", Long.toString(uidValidity));
        d.put("uid", Long.toString(uid));
        return new MessageOrigin(Channel.IMAP, d);
    }

    /**
     * A message read through a mail API (Graph or Gmail) from a folder or label; the API's message id
     * identifies it there.
     */
    public static MessageOrigin mailApi(Channel channel, String account, String folder, String id) {
        if (channel != Channel.GRAPH && channel != Channel.GMAIL) {
            throw new IllegalArgumentException("not a mail API: " + channel);
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("account", account);
        d.put("folder", folder);
        d.put("id", id);
        return new MessageOrigin(channel, d);
    }

    public static MessageOrigin upload(String user, String fileName) {
        return new MessageOrigin(Channel.UPLOAD, Map.of("user", nullToEmpty(user), "file", nullToEmpty(fileName)));
    }

    public static MessageOrigin file(String path) {
        return new MessageOrigin(Channel.FILE, Map.of("path", nullToEmpty(path)));
    }

    public String detail(String name) {
        return details.getOrDefault(name, "");
    }

    /**
     * A key that is the same each time the same message is read again from its source, so a re-read
     * (an IMAP message read twice because the archive move failed) is recognised; empty when the
     * channel has no such identity.
     */
    public String sourceKey() {
        if (channel == Channel.GRAPH || channel == Channel.GMAIL) {
            return channel.name().toLowerCase(java.util.Locale.ROOT) + ":" + detail("account") + "/" + detail("folder")
                    + "/" + detail("id");
        }
        if (channel != Channel.IMAP) {
            return "";
        }
        return "imap:" + detail("account") + "/" + detail("folder") + "/" + detail("uidvalidity") + "/" + detail("uid");
    }

    /** A one-line description for logs and the pipeline, e.g. {@code smtp peer=192.0.2.1 helo=mx.example ...}. */
    public String describe() {
        return channel.name().toLowerCase(java.util.Locale.ROOT) + " " + details.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
