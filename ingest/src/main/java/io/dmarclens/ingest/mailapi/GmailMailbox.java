package io.dmarclens.ingest.mailapi;

import static io.dmarclens.ingest.mailapi.MailboxApi.encode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mailbox through the Gmail API (v1): {@code users.messages.list} with the label and {@code pageToken},
 * {@code users.messages.get} with {@code format=raw}, and {@code users.messages.modify} adding the archive
 * label and removing the one read. Labels are found by name (or a system label's id, such as INBOX) and
 * archive labels created when missing. Needs the scope {@code https://www.googleapis.com/auth/gmail.modify}.
 */
final class GmailMailbox implements MailboxApi {
    private static final int PAGE = 100;

    private final ApiHttp http;
    private final String base;
    private final String label;
    private final Map<String, String> labelIds = new ConcurrentHashMap<>();

    GmailMailbox(ApiHttp http, MailApiAccount account) {
        this.http = http;
        String endpoint = account.endpoint().toString().replaceAll("/+$", "");
        this.base = endpoint + "/gmail/v1/users/" + encode(account.user());
        this.label = account.folder();
    }

    @Override
    public List<String> list(int max) throws IOException, InterruptedException {
        String labelId = labelId(label, false);
        List<String> ids = new ArrayList<>();
        String pageToken = null;
        do {
            String uri = base + "/messages?labelIds=" + encode(labelId) + "&maxResults=" + Math.min(max, PAGE)
                    + (pageToken == null ? "" : "&pageToken=" + encode(pageToken));
            JsonNode page = http.getJson(URI.create(uri));
            for (JsonNode m : page.path("messages")) {
                if (ids.size() < max && m.hasNonNull("id")) {
                    ids.add(m.get("id").asText());
                }
            }
            pageToken = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
        } while (pageToken != null && ids.size() < max);
        // The API lists newest first; older reports go first, as they would over IMAP.
        java.util.Collections.reverse(ids);
        return ids;
    }

    @Override
    public InputStream raw(String id) throws IOException, InterruptedException {
        JsonNode message = http.getJson(URI.create(base + "/messages/" + encode(id) + "?format=raw"));
        String raw = message.path("raw").asText("");
        if (raw.isEmpty()) {
            throw new MailApiException("message " + id + " came without its raw form");
        }
        try {
            return new ByteArrayInputStream(Base64.getUrlDecoder().decode(raw.replace("=", "")));
        } catch (IllegalArgumentException e) {
            throw new MailApiException("message " + id + ": its raw form is not base64url", e);
        }
    }

    @Override
    public void move(String id, String target) throws IOException, InterruptedException {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("addLabelIds", List.of(labelId(target, true)));
        change.put("removeLabelIds", List.of(labelId(label, false)));
        http.postJson(URI.create(base + "/messages/" + encode(id) + "/modify"), change);
    }

    private String labelId(String name, boolean create) throws IOException, InterruptedException {
        String known = labelIds.get(name);
        if (known != null) {
            return known;
        }
        String id = null;
        for (JsonNode l : http.getJson(URI.create(base + "/labels")).path("labels")) {
            if (name.equals(l.path("id").asText()) || name.equalsIgnoreCase(l.path("name").asText())) {
                id = l.path("id").asText();
                break;
            }
        }
        if (id == null) {
            if (!create) {
                throw new MailApiException("the mailbox has no label " + name);
            }
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("name", name);
            label.put("labelListVisibility", "labelShow");
            label.put("messageListVisibility", "show");
            id = http.postJson(URI.create(base + "/labels"), label).path("id").asText(null);
            if (id == null) {
                throw new MailApiException("creating the label " + name + " answered no id");
            }
        }
        labelIds.put(name, id);
        return id;
    }
}
