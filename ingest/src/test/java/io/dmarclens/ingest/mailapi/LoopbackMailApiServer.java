package io.dmarclens.ingest.mailapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Microsoft Graph's and the Gmail API's mail endpoints on loopback, as documented: Graph's {@code
 * /v1.0/users/{id}/mailFolders/{folder}/messages} with {@code @odata.nextLink} pages, {@code $value} and
 * {@code move} (which gives the message a new id, as Graph does), folders and child folders; Gmail's
 * {@code users.messages.list} with {@code labelIds}, {@code pageToken}, {@code get?format=raw}, {@code
 * modify} and labels. Pages hold three messages. Every request needs a bearer token that {@code
 * validToken} accepts (401 otherwise); {@link #throttleEvery} answers some requests 429 with Retry-After.
 */
final class LoopbackMailApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 3;
    private static final Pattern GRAPH = Pattern.compile("/v1\\.0/users/([^/]+)(/.*)");
    private static final Pattern GMAIL = Pattern.compile("/gmail/v1/users/([^/]+)(/.*)");

    /** A message in the mailbox: its MIME, where it is (Graph folder id, or Gmail labels). */
    static final class Mail {
        final byte[] mime;
        volatile String folder;
        final Set<String> labels = ConcurrentHashMap.newKeySet();

        Mail(byte[] mime) {
            this.mime = mime;
        }
    }

    private final HttpServer server;
    private final String user;
    private final Predicate<String> validToken;
    /** Graph: message id to message; a move takes it out under its old id and in under a new one. */
    final Map<String, Mail> messages = new ConcurrentHashMap<>();
    /** Moves per original message (its MIME's index in delivery order). */
    final Map<Mail, AtomicInteger> moves = new ConcurrentHashMap<>();
    /** Graph folders (id to parent id and display name) or Gmail labels (id to name). */
    final Map<String, String[]> folders = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final AtomicInteger rawFetches = new AtomicInteger();
    final List<String> tokensSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int throttleEvery;
    private volatile boolean revokeNext;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    LoopbackMailApiServer(String user, Predicate<String> validToken) throws IOException {
        this.user = user;
        this.validToken = validToken;
        folders.put("inbox", new String[] {null, "Inbox"});
        folders.put("INBOX", new String[] {null, "INBOX"});
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI graphEndpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0");
    }

    URI gmailEndpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Puts a message into the Graph inbox and under Gmail's INBOX label. */
    Mail deliver(byte[] mime) {
        Mail m = new Mail(mime);
        m.folder = "inbox";
        m.labels.add("INBOX");
        messages.put("AAMk" + ids.incrementAndGet() + "-x_y=", m);
        moves.put(m, new AtomicInteger());
        return m;
    }

    /** Every {@code n}th request is answered 429 with Retry-After: 1 (0: never). */
    void throttleEvery(int n) {
        throttleEvery = n;
    }

    /** The token of the next request is treated as revoked from then on (401). */
    void revokeNextToken() {
        revokeNext = true;
    }

    /** Display name or label name of the folder a message is in (Graph) / its labels' names (Gmail). */
    String folderName(String id) {
        String[] f = folders.get(id);
        if (f == null) {
            return "?" + id;
        }
        return f[0] == null ? f[1] : folderName(f[0]) + "/" + f[1];
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            int n = requests.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
            tokensSeen.add(token);
            if (revokeNext) {
                revokeNext = false;
                revoked.add(token);
            }
            if (revoked.contains(token) || !validToken.test(token)) {
                unauthorized.incrementAndGet();
                answer(ex, 401, Map.of("error", Map.of("code", "InvalidAuthenticationToken",
                        "message", "Access token has expired or is not yet valid.")));
                return;
            }
            int every = throttleEvery;
            if (every > 0 && n % every == 0) {
                throttled.incrementAndGet();
                ex.getResponseHeaders().set("Retry-After", "1");
                answer(ex, 429, Map.of("error", Map.of("code", "TooManyRequests", "message", "slow down")));
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            Matcher g = GRAPH.matcher(path);
            Matcher m = GMAIL.matcher(path);
            if (g.matches() && g.group(1).equals(user)) {
                graph(ex, ex.getRequestMethod(), g.group(2), query, body);
            } else if (m.matches() && m.group(1).equals(user)) {
                gmail(ex, ex.getRequestMethod(), m.group(2), query, body);
            } else {
                answer(ex, 404, Map.of("error", Map.of("code", "ErrorInvalidUser", "message", "no such mailbox")));
            }
        }
    }

    private void graph(HttpExchange ex, String method, String path, Map<String, String> query, byte[] body)
            throws IOException {
        Matcher list = Pattern.compile("/mailFolders/([^/]+)/messages").matcher(path);
        Matcher value = Pattern.compile("/messages/([^/]+)/\\$value").matcher(path);
        Matcher move = Pattern.compile("/messages/([^/]+)/move").matcher(path);
        Matcher children = Pattern.compile("/mailFolders(?:/([^/]+)/childFolders)?").matcher(path);
        if (method.equals("GET") && list.matches()) {
            String folder = list.group(1);
            List<String> in = new ArrayList<>(messages.entrySet().stream().filter(e -> folder.equals(e.getValue().folder))
                    .map(Map.Entry::getKey).sorted(java.util.Comparator.comparingInt(LoopbackMailApiServer::number)).toList());
            int skip = Integer.parseInt(query.getOrDefault("$skip", "0"));
            int top = Math.min(PAGE, Integer.parseInt(query.getOrDefault("$top", "10")));
            List<Map<String, Object>> page = new ArrayList<>();
            for (String id : in.subList(Math.min(skip, in.size()), Math.min(skip + top, in.size()))) {
                page.add(Map.of("id", id));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("value", page);
            if (skip + top < in.size()) {
                answer.put("@odata.nextLink", graphEndpoint() + "/users/" + user + "/mailFolders/" + folder
                        + "/messages?$select=id&$top=" + top + "&$skip=" + (skip + top));
            }
            answer(ex, 200, answer);
        } else if (method.equals("GET") && value.matches()) {
            Mail mail = messages.get(value.group(1));
            if (mail == null) {
                answer(ex, 404, Map.of("error", Map.of("code", "ErrorItemNotFound", "message", "gone")));
                return;
            }
            rawFetches.incrementAndGet();
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, mail.mime.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(mail.mime);
            }
        } else if (method.equals("POST") && move.matches()) {
            String destination = JSON.readTree(body).path("destinationId").asText();
            Mail mail = messages.remove(move.group(1));
            if (mail == null || !folders.containsKey(destination)) {
                answer(ex, 404, Map.of("error", Map.of("code", "ErrorItemNotFound", "message", "no such item")));
                return;
            }
            mail.folder = destination;
            moves.get(mail).incrementAndGet();
            String newId = "AAMk" + ids.incrementAndGet() + "-moved";
            messages.put(newId, mail);
            answer(ex, 201, Map.of("id", newId, "parentFolderId", destination));
        } else if (children.matches()) {
            String parent = children.group(1);
            if (method.equals("POST")) {
                String name = JSON.readTree(body).path("displayName").asText();
                String id = "folder-" + ids.incrementAndGet();
                folders.put(id, new String[] {parent, name});
                answer(ex, 201, Map.of("id", id, "displayName", name));
                return;
            }
            List<Map<String, Object>> value2 = new ArrayList<>();
            folders.forEach((id, f) -> {
                if (java.util.Objects.equals(f[0], parent) && !id.equals("INBOX")) {
                    value2.add(Map.of("id", id, "displayName", f[1]));
                }
            });
            answer(ex, 200, Map.of("value", value2));
        } else {
            answer(ex, 400, Map.of("error", Map.of("code", "BadRequest", "message", "unknown " + method + " " + path)));
        }
    }

    private void gmail(HttpExchange ex, String method, String path, Map<String, String> query, byte[] body)
            throws IOException {
        Matcher get = Pattern.compile("/messages/([^/]+)").matcher(path);
        Matcher modify = Pattern.compile("/messages/([^/]+)/modify").matcher(path);
        if (method.equals("GET") && path.equals("/messages")) {
            String label = query.getOrDefault("labelIds", "");
            // Newest first, as Gmail lists.
            List<String> with = new ArrayList<>(messages.entrySet().stream()
                    .filter(e -> e.getValue().labels.contains(label)).map(Map.Entry::getKey)
                    .sorted(java.util.Comparator.comparingInt(LoopbackMailApiServer::number).reversed()).toList());
            int from = Integer.parseInt(query.getOrDefault("pageToken", "0"));
            int max = Math.min(PAGE, Integer.parseInt(query.getOrDefault("maxResults", "100")));
            List<Map<String, Object>> page = new ArrayList<>();
            for (String id : with.subList(Math.min(from, with.size()), Math.min(from + max, with.size()))) {
                page.add(Map.of("id", id, "threadId", id));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("messages", page);
            if (from + max < with.size()) {
                answer.put("nextPageToken", Integer.toString(from + max));
            }
            answer.put("resultSizeEstimate", with.size());
            answer(ex, 200, answer);
        } else if (method.equals("POST") && modify.matches()) {
            Mail mail = messages.get(modify.group(1));
            JsonNode change = JSON.readTree(body);
            if (mail == null) {
                answer(ex, 404, Map.of("error", Map.of("code", 404, "message", "Requested entity was not found.")));
                return;
            }
            for (JsonNode add : change.path("addLabelIds")) {
                if (!folders.containsKey(add.asText())) {
                    answer(ex, 400, Map.of("error", Map.of("code", 400, "message", "Invalid label: " + add.asText())));
                    return;
                }
            }
            change.path("addLabelIds").forEach(l -> mail.labels.add(l.asText()));
            change.path("removeLabelIds").forEach(l -> mail.labels.remove(l.asText()));
            moves.get(mail).incrementAndGet();
            answer(ex, 200, Map.of("id", modify.group(1), "labelIds", List.copyOf(mail.labels)));
        } else if (method.equals("GET") && get.matches() && "raw".equals(query.get("format"))) {
            Mail mail = messages.get(get.group(1));
            if (mail == null) {
                answer(ex, 404, Map.of("error", Map.of("code", 404, "message", "Requested entity was not found.")));
                return;
            }
            rawFetches.incrementAndGet();
            answer(ex, 200, Map.of("id", get.group(1), "sizeEstimate", mail.mime.length,
                    "raw", Base64.getUrlEncoder().encodeToString(mail.mime)));
        } else if (path.equals("/labels")) {
            if (method.equals("POST")) {
                String name = JSON.readTree(body).path("name").asText();
                String id = "Label_" + ids.incrementAndGet();
                folders.put(id, new String[] {null, name});
                answer(ex, 200, Map.of("id", id, "name", name, "type", "user"));
                return;
            }
            List<Map<String, Object>> labels = new ArrayList<>();
            folders.forEach((id, f) -> {
                if (!id.equals("inbox")) {
                    labels.add(Map.of("id", id, "name", f[1], "type", id.startsWith("Label_") ? "user" : "system"));
                }
            });
            answer(ex, 200, Map.of("labels", labels));
        } else {
            answer(ex, 400, Map.of("error", Map.of("code", 400, "message", "unknown " + method + " " + path)));
        }
    }

    /** Names of the folders (Graph) or labels (Gmail) each delivered message is in now. */
    Map<String, Integer> placeCounts(boolean gmail) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Mail mail : messages.values()) {
            Set<String> places = gmail ? new LinkedHashSet<>(mail.labels) : Set.of(mail.folder);
            for (String p : places) {
                counts.merge(folderName(p), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int number(String id) {
        Matcher m = Pattern.compile("AAMk(\\d+)").matcher(id);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void answer(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
