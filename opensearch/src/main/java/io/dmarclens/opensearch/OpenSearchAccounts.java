package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.LoginFailures;
import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.UserInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The dashboard's users and API token digests on the cluster, beside the reports: {@code PREFIX-users} (one
 * document per user, its id the name) and {@code PREFIX-tokens} (one per token, its id the digest), with the
 * login sessions ({@code PREFIX-sessions}), failed-login counters ({@code PREFIX-login-failures}) and pending
 * second steps of two-factor logins ({@code PREFIX-pending-logins}), so that
 * every DMARC Lens process on the cluster knows the same logins. The same behaviour as the embedded
 * store's {@code web.db}: saving a user again changes only its password hash, removing a user removes its
 * tokens; a user has a role and a scope (a document without them, written before roles existed, is an admin of
 * all domains, as {@code web.db}'s column defaults make it), a sealed TOTP secret and the hashes of its unused
 * recovery codes. Writes wait until they are visible to searches (the user list), and are fsynced before the cluster
 * acknowledges them (translog durability {@code request}, as for the reports).
 *
 * <pre>{@code
 * try (Accounts accounts = OpenSearchAccounts.open(settings)) { accounts.passwordHash("alice"); }
 * }</pre>
 */
public final class OpenSearchAccounts implements Accounts {
    private static final Map<String, String> VISIBLE = Map.of("refresh", "wait_for");

    private final Cluster cluster;
    private final String users;
    private final String tokens;
    private final String sessionsIndex;
    private final String failuresIndex;
    private final OpenSearchSessions sessions;
    private final OpenSearchLoginFailures loginFailures;
    private final String pendingIndex;
    private final OpenSearchPendingLogins pendingLogins;

    private OpenSearchAccounts(Cluster cluster, String prefix) {
        this.cluster = cluster;
        this.users = prefix + "-users";
        this.tokens = prefix + "-tokens";
        this.sessionsIndex = prefix + "-sessions";
        this.failuresIndex = prefix + "-login-failures";
        this.sessions = new OpenSearchSessions(cluster, sessionsIndex);
        this.loginFailures = new OpenSearchLoginFailures(cluster, failuresIndex);
        this.pendingIndex = prefix + "-pending-logins";
        this.pendingLogins = new OpenSearchPendingLogins(cluster, pendingIndex);
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public LoginFailures loginFailures() {
        return loginFailures;
    }

    @Override
    public io.dmarclens.store.users.PendingLogins pendingLogins() {
        return pendingLogins;
    }

    /**
     * Connects and creates the two indices when missing.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    public static OpenSearchAccounts open(OpenSearchSettings settings) {
        return Cluster.openSmallStore(settings, cluster -> {
            OpenSearchAccounts a = new OpenSearchAccounts(cluster, settings.indexPrefix());
            a.create(a.users, "name", "password_hash", OpenSearchAccounts::userFields);
            a.create(a.tokens, "digest", "user", OpenSearchAccounts::tokenFields);
            cluster.createSmallIndex(a.sessionsIndex, "strict", OpenSearchSessions::fields);
            cluster.createSmallIndex(a.failuresIndex, "strict", OpenSearchLoginFailures::fields);
            cluster.createSmallIndex(a.pendingIndex, "strict", OpenSearchPendingLogins::fields);
            return a;
        });
    }

    private void create(String index, String key, String other, Consumer<ObjectNode> fields) {
        boolean created = cluster.createSmallIndex(index, "strict", p -> {
            p.putObject(key).put("type", "keyword");
            p.putObject(other).put("type", "keyword");
            p.putObject("created_at").put("type", "date").put("format", "epoch_second");
            fields.accept(p);
        });
        if (!created) {
            // An index from before roles, token scopes or the kept TOTP step: its strict mapping would refuse
            // them, so add the fields (adding fields to a mapping is allowed; the same fields again change nothing).
            ObjectNode more = cluster.json().createObjectNode();
            fields.accept(more.putObject("properties"));
            cluster.ok("PUT", "/" + index + "/_mapping", null, more);
        }
    }

    private static void userFields(ObjectNode p) {
        p.putObject("role").put("type", "keyword");
        p.putObject("scope").put("type", "keyword");
        p.putObject("totp_secret").put("type", "keyword").put("index", false);
        p.putObject("recovery_codes").put("type", "keyword");
        p.putObject("totp_step").put("type", "long");
    }

    private static void tokenFields(ObjectNode p) {
        p.putObject("last_used_at").put("type", "date").put("format", "epoch_second");
        p.putObject("id").put("type", "keyword");
        p.putObject("label").put("type", "keyword");
        p.putObject("scope").put("type", "keyword");
        p.putObject("expires_at").put("type", "date").put("format", "epoch_second");
    }

    /** The user's document, empty when there is no such user. */
    private Optional<JsonNode> user(String name) {
        return cluster.get(users, id(name), "reading the user " + name).map(Cluster.Versioned::source);
    }

    private static Role role(JsonNode user) {
        return user.hasNonNull("role") ? Role.parse(user.path("role").asText()) : Role.ADMIN;
    }

    private static String scope(JsonNode user) {
        return user.hasNonNull("scope") ? user.path("scope").asText() : Account.ALL;
    }

    @Override
    public Optional<Account> account(String name) {
        return user(name).map(u -> new Account(name, role(u), scope(u),
                Optional.ofNullable(u.hasNonNull("totp_secret") ? u.path("totp_secret").asText() : null)));
    }

    @Override
    public synchronized boolean setRole(String name, Role role) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("role", role.id());
        return change(name, doc);
    }

    @Override
    public synchronized boolean setScope(String name, String scope) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("scope", scope);
        return change(name, doc);
    }

    @Override
    public synchronized boolean setTwoFactor(String name, String sealedSecret, List<String> recoveryCodeHashes) {
        ObjectNode doc = cluster.json().createObjectNode();
        // One partial update: the secret and its recovery codes are replaced together or not at all.
        doc.put("totp_secret", sealedSecret);
        var codes = doc.putArray("recovery_codes");
        if (sealedSecret != null) {
            new java.util.LinkedHashSet<>(recoveryCodeHashes).forEach(codes::add);
        }
        return change(name, doc);
    }

    /** A partial update of an existing user; false when there is no such user (no document is created). */
    private boolean change(String name, ObjectNode doc) {
        ObjectNode body = cluster.json().createObjectNode();
        body.set("doc", doc);
        Cluster.Reply r = cluster.send("POST", "/" + users + "/_update/" + id(name),
                Map.of("refresh", "wait_for", "retry_on_conflict", "3"), body);
        if (r.status() == 404) {
            return false;
        }
        if (!r.ok()) {
            throw cluster.refused("changing the user " + name, r);
        }
        return true;
    }

    @Override
    public List<String> recoveryCodeHashes(String name) {
        List<String> out = new ArrayList<>();
        user(name).ifPresent(u -> u.path("recovery_codes").forEach(c -> out.add(c.asText())));
        return out;
    }

    @Override
    public synchronized boolean useRecoveryCode(String name, String codeHash) {
        // A scripted update runs against one version of the document and retries on a conflict, so of two
        // logins with the same code only one finds it there: each code works once, across processes too.
        return scripted(name, "def c = ctx._source.recovery_codes; if (c != null && c.contains(params.h)) {"
                + " c.remove(c.indexOf(params.h)); } else { ctx.op = 'noop'; }", Map.of("h", codeHash),
                "using a recovery code of the user " + name);
    }

    /**
     * Runs a painless update of the user's document, waiting until it is visible; whether it changed it (false:
     * the script left it alone, or there is no such user).
     */
    private boolean scripted(String name, String source, Map<String, Object> params, String what) {
        ObjectNode body = cluster.json().createObjectNode();
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless").put("source", source);
        script.set("params", cluster.json().valueToTree(params));
        Cluster.Reply r = cluster.send("POST", "/" + users + "/_update/" + id(name),
                Map.of("refresh", "wait_for", "retry_on_conflict", "3"), body);
        if (r.status() == 404) {
            return false;
        }
        if (!r.ok()) {
            throw cluster.refused(what, r);
        }
        return r.body().path("result").asText().equals("updated");
    }

    static String id(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public synchronized void saveUser(String name, String passwordHash, Instant createdAt) {
        // An upsert: a user saved again keeps its creation time and gets the new hash.
        ObjectNode body = cluster.json().createObjectNode();
        body.putObject("doc").put("password_hash", passwordHash);
        body.putObject("upsert").put("name", name).put("password_hash", passwordHash)
                .put("created_at", createdAt.getEpochSecond()).put("role", Role.ADMIN.id()).put("scope", Account.ALL);
        cluster.ok("POST", "/" + users + "/_update/" + id(name), Map.of("refresh", "wait_for",
                "retry_on_conflict", "3"), body);
    }

    @Override
    public Optional<String> passwordHash(String name) {
        return user(name).map(u -> u.path("password_hash").asText());
    }

    @Override
    public List<UserInfo> list() {
        Map<String, Integer> tokenCounts = new HashMap<>();
        ObjectNode agg = cluster.json().createObjectNode();
        agg.put("size", 0);
        // Exact: a composite aggregation walks every user (a terms aggregation may miss some across shards).
        String after = null;
        do {
            ObjectNode body = agg.deepCopy();
            ObjectNode composite = body.putObject("aggs").putObject("u").putObject("composite");
            composite.put("size", 1000);
            composite.putArray("sources").addObject().putObject("user").putObject("terms").put("field", "user");
            if (after != null) {
                composite.putObject("after").put("user", after);
            }
            JsonNode result = cluster.ok("POST", "/" + tokens + "/_search", null, body).path("aggregations").path("u");
            for (JsonNode b : result.path("buckets")) {
                tokenCounts.put(b.path("key").path("user").asText(), b.path("doc_count").asInt());
            }
            after = result.path("buckets").size() == 0 ? null : result.path("after_key").path("user").asText(null);
        } while (after != null);
        List<UserInfo> out = new ArrayList<>();
        Object[] searchAfter = null;
        while (true) {
            ObjectNode body = cluster.json().createObjectNode();
            body.put("size", 1000);
            body.putArray("sort").addObject().put("name", "asc");
            if (searchAfter != null) {
                body.putArray("search_after").add((String) searchAfter[0]);
            }
            JsonNode hits = cluster.ok("POST", "/" + users + "/_search", null, body).path("hits").path("hits");
            for (JsonNode h : hits) {
                JsonNode s = h.path("_source");
                String name = s.path("name").asText();
                out.add(new UserInfo(name, Instant.ofEpochSecond(s.path("created_at").asLong()),
                        tokenCounts.getOrDefault(name, 0), role(s), scope(s), s.hasNonNull("totp_secret")));
            }
            if (hits.size() < 1000) {
                return out;
            }
            searchAfter = new Object[]{out.get(out.size() - 1).name()};
        }
    }

    @Override
    public synchronized boolean removeUser(String name) {
        ObjectNode query = cluster.json().createObjectNode();
        query.putObject("query").putObject("term").put("user", name);
        cluster.ok("POST", "/" + tokens + "/_delete_by_query", Map.of("refresh", "true", "conflicts", "proceed"),
                query);
        sessions.endAll(name);
        return cluster.delete(users, id(name), VISIBLE, "removing the user " + name);
    }

    @Override
    public synchronized void saveToken(String digest, ApiToken token) {
        if (passwordHash(token.user()).isEmpty()) {
            // The embedded store's foreign key refuses a token of an unknown user; so do we.
            throw new StoreException("cannot save an API token: there is no user " + token.user());
        }
        if (!copyToken(digest, new ApiToken(token.id(), token.user(), token.label(), token.scope(), token.createdAt(),
                token.expiresAt(), Optional.empty()))) {
            throw new StoreException("cannot save an API token: a token with this digest exists already");
        }
    }

    /**
     * Saves a token as it was (for {@code migrate}): a token already there is left as it is.
     *
     * @return whether it was new
     */
    public synchronized boolean copyToken(String digest, ApiToken t) {
        ObjectNode doc = cluster.json().createObjectNode();
        doc.put("digest", digest).put("user", t.user()).put("created_at", t.createdAt().getEpochSecond())
                .put("id", t.id()).put("label", t.label()).put("scope", t.scope());
        t.expiresAt().ifPresent(e -> doc.put("expires_at", e.getEpochSecond()));
        t.lastUsedAt().ifPresent(u -> doc.put("last_used_at", u.getEpochSecond()));
        Cluster.Reply r = cluster.send("PUT", "/" + tokens + "/_doc/" + id(digest),
                Map.of("op_type", "create", "refresh", "wait_for"), doc);
        if (r.status() == 409) {
            return false;
        }
        if (!r.ok()) {
            throw cluster.refused("saving an API token", r);
        }
        return true;
    }

    /** A token document as the token it describes (documents from before token scopes: whole scope, no expiry). */
    private static ApiToken token(JsonNode s) {
        String digest = s.path("digest").asText();
        return new ApiToken(s.hasNonNull("id") ? s.path("id").asText() : ApiToken.idOf(digest), s.path("user").asText(),
                s.path("label").asText(""), s.hasNonNull("scope") ? s.path("scope").asText() : Account.ALL,
                Instant.ofEpochSecond(s.path("created_at").asLong()), epochSecond(s, "expires_at"),
                epochSecond(s, "last_used_at"));
    }

    private static Optional<Instant> epochSecond(JsonNode s, String field) {
        return s.hasNonNull(field) ? Optional.of(Instant.ofEpochSecond(s.path(field).asLong())) : Optional.empty();
    }

    @Override
    public Optional<ApiToken> useToken(String digest, Instant usedAt) {
        Optional<Cluster.Versioned> read = cluster.get(tokens, id(digest), "reading an API token");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        ApiToken token = token(read.get().source());
        ObjectNode body = cluster.json().createObjectNode();
        body.putObject("doc").put("last_used_at", usedAt.getEpochSecond());
        Cluster.Reply u = cluster.send("POST", "/" + tokens + "/_update/" + id(digest),
                Map.of("retry_on_conflict", "3"), body);
        if (!u.ok() && u.status() != 404) {
            throw cluster.refused("recording the use of an API token", u);
        }
        // A token revoked between the read and the update is gone: it is refused, not let through.
        return u.status() == 404 ? Optional.empty()
                : Optional.of(token.usedAt(Instant.ofEpochSecond(usedAt.getEpochSecond())));
    }

    /** The user's token documents with their ids (the digests), oldest first. */
    private List<Map.Entry<String, ApiToken>> tokenDocs(String user) {
        List<Map.Entry<String, ApiToken>> out = new ArrayList<>();
        // A token's use is noted without waiting for a refresh (it happens at every API request); listing is rare,
        // so it refreshes to show the last uses.
        cluster.ok("POST", "/" + tokens + "/_refresh", null, null);
        JsonNode searchAfter = null;
        while (true) {
            ObjectNode body = cluster.json().createObjectNode();
            body.put("size", 1000);
            body.putObject("query").putObject("term").put("user", user);
            var sort = body.putArray("sort");
            sort.addObject().put("created_at", "asc");
            sort.addObject().put("digest", "asc");
            if (searchAfter != null) {
                body.set("search_after", searchAfter);
            }
            JsonNode hits = cluster.ok("POST", "/" + tokens + "/_search", null, body).path("hits").path("hits");
            for (JsonNode h : hits) {
                out.add(Map.entry(h.path("_source").path("digest").asText(), token(h.path("_source"))));
                searchAfter = h.path("sort");
            }
            if (hits.size() < 1000) {
                out.sort(java.util.Comparator.comparing((Map.Entry<String, ApiToken> e) -> e.getValue().createdAt())
                        .thenComparing(e -> e.getValue().id()));
                return out;
            }
        }
    }

    @Override
    public List<ApiToken> tokens(String user) {
        return tokenDocs(user).stream().map(Map.Entry::getValue).toList();
    }

    @Override
    public synchronized boolean revokeToken(String user, String tokenId) {
        for (Map.Entry<String, ApiToken> t : tokenDocs(user)) {
            if (t.getValue().id().equals(tokenId)) {
                return cluster.delete(tokens, id(t.getKey()), VISIBLE, "revoking an API token of " + user);
            }
        }
        return false;
    }

    @Override
    public boolean useTotpStep(String name, long step) {
        // A scripted update runs against one version of the document and retries on a conflict: of two logins
        // with the same code, on any node, only one finds the step still older.
        return scripted(name, "def s = ctx._source.totp_step; if (s == null || s < params.s) {"
                + " ctx._source.totp_step = params.s; } else { ctx.op = 'noop'; }", Map.of("s", step),
                "noting the two-factor code of the user " + name);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
