package io.dmarclens.ingest.mailapi;

import static io.dmarclens.ingest.mailapi.MailboxApi.encode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A mailbox through Microsoft Graph (v1.0): {@code GET /users/{id}/mailFolders/{folder}/messages} (paged
 * by {@code @odata.nextLink}), {@code GET /users/{id}/messages/{msg}/$value} for the MIME, and {@code POST
 * /users/{id}/messages/{msg}/move}. Folders are well-known names or paths of display names; archive folders
 * are created when missing. Needs the application permission Mail.ReadWrite.
 */
final class GraphMailbox implements MailboxApi {
    private static final Set<String> WELL_KNOWN = Set.of("inbox", "archive", "junkemail", "deleteditems", "drafts",
            "sentitems", "outbox", "msgfolderroot");
    private static final int PAGE = 50;

    private final ApiHttp http;
    private final String base;
    private final String folder;
    private final Map<String, String> folderIds = new ConcurrentHashMap<>();

    GraphMailbox(ApiHttp http, MailApiAccount account) {
        this.http = http;
        String endpoint = account.endpoint().toString().replaceAll("/+$", "");
        this.base = endpoint + "/users/" + encode(account.user());
        this.folder = account.folder();
    }

    @Override
    public List<String> list(int max) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String next = base + "/mailFolders/" + encode(folderId(folder, false)) + "/messages?$select=id&$top="
                + Math.min(max, PAGE) + "&$orderby=" + encode("receivedDateTime asc");
        while (next != null && ids.size() < max) {
            JsonNode page = http.getJson(URI.create(next));
            for (JsonNode m : page.path("value")) {
                if (ids.size() < max && m.hasNonNull("id")) {
                    ids.add(m.get("id").asText());
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return ids;
    }

    @Override
    public InputStream raw(String id) throws IOException, InterruptedException {
        return http.getStream(URI.create(base + "/messages/" + encode(id) + "/$value"));
    }

    @Override
    public void move(String id, String target) throws IOException, InterruptedException {
        http.postJson(URI.create(base + "/messages/" + encode(id) + "/move"),
                Map.of("destinationId", folderId(target, true)));
    }

    /** A well-known name as it is, else the id of the folder at that path of display names. */
    private String folderId(String path, boolean create) throws IOException, InterruptedException {
        if (WELL_KNOWN.contains(path.toLowerCase(Locale.ROOT))) {
            return path.toLowerCase(Locale.ROOT);
        }
        String known = folderIds.get(path);
        if (known != null) {
            return known;
        }
        String parent = null;
        for (String name : path.split("/")) {
            if (name.isBlank()) {
                continue;
            }
            String collection = parent == null ? base + "/mailFolders"
                    : base + "/mailFolders/" + encode(parent) + "/childFolders";
            String id = child(collection, name);
            if (id == null) {
                if (!create) {
                    throw new MailApiException("the mailbox has no folder " + path);
                }
                id = http.postJson(URI.create(collection), Map.of("displayName", name)).path("id").asText(null);
                if (id == null) {
                    throw new MailApiException("creating the folder " + path + " answered no id");
                }
            }
            parent = id;
        }
        if (parent == null) {
            throw new MailApiException("an empty folder name");
        }
        folderIds.put(path, parent);
        return parent;
    }

    private String child(String collection, String name) throws IOException, InterruptedException {
        String next = collection + "?$top=100";
        while (next != null) {
            JsonNode page = http.getJson(URI.create(next));
            for (JsonNode f : page.path("value")) {
                if (name.equalsIgnoreCase(f.path("displayName").asText())) {
                    return f.path("id").asText();
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return null;
    }
}
