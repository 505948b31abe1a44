package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * One connection to the cluster: the OpenSearch Java client (Apache HttpClient 5 transport, our Jackson) with
 * the settings' addresses, sign-in and CA certificate. Our requests and documents are JSON we build with
 * Jackson, sent through the client's generic API; every failure to reach the cluster or every refusal becomes
 * a {@link StoreException} whose one-line message names the cluster.
 */
final class Cluster implements AutoCloseable {
    /** How long {@link #awaitCopies} waits for the copies of a new index. */
    static final java.time.Duration COPIES_WAIT = java.time.Duration.ofSeconds(20);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Cluster.class);
    /**
     * What {@link #bulk} reads of a reply: whether an item failed, and the failures. The whole reply names every
     * document written (index, id, version, shards): 20,000 lines made a 2 MB reply parsed into a tree per group.
     */
    static final String ONLY_ERRORS = "errors,items.*.error";
    private final OpenSearchSettings settings;
    private final ObjectMapper json;
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient client;

    /** What the cluster answered: the HTTP status and the JSON body (missing when there was none). */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private Cluster(OpenSearchSettings settings, ObjectMapper json, ApacheHttpClient5Transport transport) {
        this.settings = settings;
        this.json = json;
        this.transport = transport;
        this.client = new OpenSearchClient(transport).generic();
    }

    static Cluster connect(OpenSearchSettings settings, ObjectMapper json) {
        HttpHost[] hosts = settings.urls().stream().map(Cluster::host).toArray(HttpHost[]::new);
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(hosts)
                .setMapper(new JacksonJsonpMapper(json))
                .setCompressionEnabled(false);
        if (settings.user() != null) {
            String basic = Base64.getEncoder().encodeToString((settings.user() + ":"
                    + (settings.password() == null ? "" : settings.password())).getBytes(StandardCharsets.UTF_8));
            builder.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", "Basic " + basic)});
        } else if (settings.apiKey() != null) {
            builder.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", "ApiKey " + settings.apiKey())});
        }
        if (settings.caCertificate() != null) {
            SSLContext tls = trusting(settings);
            builder.setHttpClientConfigCallback(http -> http.setConnectionManager(
                    PoolingAsyncClientConnectionManagerBuilder.create()
                            .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildAsync())
                            .setMaxConnPerRoute(16).setMaxConnTotal(32)
                            .build()));
        }
        return new Cluster(settings, json, builder.build());
    }

    private static HttpHost host(URI url) {
        int port = url.getPort() > 0 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 9200);
        return new HttpHost(url.getScheme(), url.getHost(), port);
    }

    private static SSLContext trusting(OpenSearchSettings settings) {
        try (InputStream in = Files.newInputStream(settings.caCertificate())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new StoreException("no certificate in " + settings.caCertificate()
                        + ": store.opensearch.ca_certificate must be a PEM file");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("cannot read the CA certificate " + settings.caCertificate() + ": " + e.getMessage(), e);
        }
    }

    ObjectMapper json() {
        return json;
    }

    String name() {
        return settings.clusterName();
    }

    /** Sends a request; any answer comes back (the caller judges the status), a failure to reach is thrown. */
    Reply send(String method, String endpoint, Map<String, String> params, Object body) {
        var req = Requests.builder().method(method).endpoint(endpoint);
        if (params != null && !params.isEmpty()) {
            req.query(new LinkedHashMap<>(params));
        }
        try {
            if (body instanceof byte[] ndjson) {
                req.body(Body.from(ndjson, "application/x-ndjson"));
            } else if (body != null) {
                req.body(Body.from(json.writeValueAsBytes(body), "application/json"));
            }
            try (Response response = client.execute(req.build())) {
                JsonNode node = MissingNode.getInstance();
                if (response.getBody().isPresent()) {
                    try (Body b = response.getBody().get()) {
                        byte[] bytes = b.bodyAsBytes();
                        if (bytes.length > 0) {
                            node = json.readTree(bytes);
                        }
                    }
                }
                return new Reply(response.getStatus(), node);
            }
        } catch (ResponseException e) {
            // The transport throws on some error statuses (a conflict, a refusal): an answer all the same.
            return new Reply(e.status(), errorBody(e));
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreException s) {
                throw s;
            }
            throw new StoreException("OpenSearch at " + name() + " cannot be reached (" + method + " " + endpoint
                    + ": " + oneLine(e) + "): check that the cluster runs and the URL is right", e);
        }
    }

    /**
     * Creates an index unless it exists, and returns once each of its shards has every copy the cluster can
     * hold in sync, so that nothing is written to it before a replica could take over from its primary.
     *
     * <p>OpenSearch answers the creation as soon as the primaries are started, while each replica is still being
     * built from its primary; a replica in that state is not in sync and cannot take over. A write acknowledged
     * then is on the primary alone, and the death of the primary's node leaves the index without a copy (red):
     * what was written is lost and every later write to it waits in vain for a primary. Month indices are
     * created in the middle of an import, so this happens. The node that created the index waits, and so does
     * one that found it just created by another (it would write at once otherwise). A new index whose primary's
     * node died before the replica was in sync holds nothing (nobody wrote to it): its creator deletes it and
     * creates it again on the nodes that live.
     *
     * @return whether this call created it (false: it existed)
     * @throws StoreException when the copies are not in sync within {@link #COPIES_WAIT} (the caller's mail
     *                        waits and is tried again)
     */
    boolean createIndex(String index, Object body) {
        boolean created = false;
        for (int attempt = 1; ; attempt++) {
            Reply r = send("PUT", "/" + index, null, body);
            if (!r.ok() && !r.body().path("error").path("type").asText().equals("resource_already_exists_exception")) {
                throw refused("creating the index " + index, r);
            }
            created |= r.ok();
            Copies copies = awaitCopies(index);
            if (copies == Copies.IN_SYNC) {
                return created;
            }
            // Lost and not created by this call: the creator mends it, but it may have died with the primary's
            // node (ClusterFaultTest kills a DMARC Lens node and an OpenSearch node in one burst), and every node
            // would then write in vain to a red index. Mended by whoever finds it, when it is new and no replica
            // ever was in sync: nothing was written to it, since writers wait for that.
            boolean mend = copies == Copies.LOST && (r.ok() || lostBeforeItsFirstWrite(index));
            if (copies == Copies.LOST && !mend) {
                // An index that lost its copies for another reason (two nodes gone, say): nothing a new index's
                // wait can mend; its writes fail as they would have.
                return created;
            }
            if (mend && attempt < 3) {
                LOG.warn("OpenSearch at {}: the node of the new index {}'s primary died before its replica was in"
                        + " sync; nothing was written to it, so it is created again", name(), index);
                send("DELETE", "/" + index, null, null);
                continue;
            }
            throw new StoreException("OpenSearch at " + name() + ": the new index " + index + " has no copy in sync"
                    + (copies == Copies.LOST ? " (its primary was lost)" : " after " + COPIES_WAIT.toSeconds() + " s")
                    + ": check the cluster's health; what waits to be stored is tried again");
        }
    }

    /** How young a lost index must be for {@link #lostBeforeItsFirstWrite} to take it for a new one. */
    static final java.time.Duration NEW_INDEX_AGE = java.time.Duration.ofMinutes(10);

    /**
     * Whether a lost index is a new one whose replicas never were in sync: each shard with its primary alone in
     * sync, created within {@link #NEW_INDEX_AGE}, with replicas asked for. Writers wait until a replica is in
     * sync (when the cluster can hold one), so nothing was written to it.
     */
    private boolean lostBeforeItsFirstWrite(String index) {
        JsonNode meta = ok("GET", "/_cluster/state/metadata/" + index, Map.of("filter_path",
                "metadata.indices.*.in_sync_allocations,metadata.indices.*.settings.index.creation_date,"
                        + "metadata.indices.*.settings.index.number_of_replicas"), null)
                .path("metadata").path("indices").path(index);
        JsonNode settingsOfIndex = meta.path("settings").path("index");
        long createdAt = settingsOfIndex.path("creation_date").asLong(0);
        if (meta.isMissingNode() || settingsOfIndex.path("number_of_replicas").asInt(0) < 1 || createdAt == 0) {
            return false;
        }
        // The cluster's time, as its creation date is (the cluster manager's clock, not this machine's).
        long now = ok("GET", "/_cat/health", Map.of("format", "json", "h", "epoch"), null).path(0).path("epoch")
                .asLong(0) * 1000;
        if (now - createdAt > NEW_INDEX_AGE.toMillis()) {
            return false;
        }
        JsonNode inSync = meta.path("in_sync_allocations");
        if (!inSync.isObject() || inSync.isEmpty()) {
            return false;
        }
        for (JsonNode ids : inSync) {
            if (ids.size() > 1) {
                return false;
            }
        }
        return true;
    }

    /** How the copies of an index's shards stand ({@link #awaitCopies}). */
    enum Copies {
        /** Every shard has every copy the data nodes can hold started, or none still being built for a new index. */
        IN_SYNC,
        /** A shard has no started copy and its primary had been assigned: its node died. */
        LOST,
        /** Copies of a new index still being built when the wait ended. */
        BUILDING
    }

    /**
     * Waits (at most {@link #COPIES_WAIT}) until no shard of the index has a copy still being built for its
     * creation while fewer copies than the data nodes can hold are started. Copies missing for another reason
     * (a node that left, replicas beyond the nodes there are) are not waited for: the primary is in sync.
     */
    Copies awaitCopies(String index) {
        if (settings.replicas() == 0) {
            return Copies.IN_SYNC;
        }
        long deadline = System.nanoTime() + COPIES_WAIT.toNanos();
        while (true) {
            int dataNodes = ok("GET", "/_cluster/health", null, null).path("number_of_data_nodes").asInt(1);
            int reachable = Math.min(settings.replicas() + 1, Math.max(1, dataNodes));
            Map<Integer, int[]> shards = new java.util.TreeMap<>();
            for (JsonNode copy : ok("GET", "/_cat/shards/" + index, Map.of("format", "json",
                    "h", "shard,prirep,state,unassigned.reason"), null)) {
                // started, being built for the creation, primary lost
                int[] s = shards.computeIfAbsent(copy.path("shard").asInt(), k -> new int[3]);
                String state = copy.path("state").asText();
                // Kept while a copy initializes: INDEX_CREATED marks the copies the creation asked for.
                boolean forCreation = copy.path("unassigned.reason").asText("").equals("INDEX_CREATED");
                if (state.equals("STARTED") || state.equals("RELOCATING")) {
                    s[0]++;
                } else if (forCreation) {
                    s[1]++;
                }
                if (copy.path("prirep").asText().equals("p") && state.equals("UNASSIGNED") && !forCreation) {
                    s[2]++;
                }
            }
            boolean inSync = !shards.isEmpty();
            for (int[] s : shards.values()) {
                if (s[0] == 0 && s[2] > 0) {
                    return Copies.LOST;
                }
                inSync &= s[0] >= reachable || s[1] == 0;
            }
            if (inSync) {
                return Copies.IN_SYNC;
            }
            if (System.nanoTime() > deadline) {
                return Copies.BUILDING;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for the copies of " + index);
            }
        }
    }

    /**
     * Connects for a store of a few small indices (users, leases, alerts, the audit log) and lets {@code open} build
     * it and create them; the connection is closed when that fails.
     *
     * @throws StoreException when the cluster cannot be reached or refuses
     */
    static <T> T openSmallStore(OpenSearchSettings settings, java.util.function.Function<Cluster, T> open) {
        java.util.Objects.requireNonNull(settings, "settings");
        Cluster cluster = connect(settings, OpenSearchStore.jsonMapper());
        try {
            return open.apply(cluster);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Creates, unless it exists, a one-shard index of a few documents that every node reads and writes: the
     * settings' replicas, each write fsynced before it is acknowledged (translog durability {@code request}), a
     * mapping of {@code fields} whose {@code dynamic} is given.
     *
     * @return whether this call created it (false: it existed)
     */
    boolean createSmallIndex(String index, String dynamic, java.util.function.Consumer<ObjectNode> fields) {
        ObjectNode body = json.createObjectNode();
        ObjectNode s = body.putObject("settings").putObject("index");
        s.put("number_of_shards", 1);
        s.put("number_of_replicas", settings.replicas());
        s.put("translog.durability", "request");
        ObjectNode mappings = body.putObject("mappings");
        mappings.put("dynamic", dynamic);
        fields.accept(mappings.putObject("properties"));
        return createIndex(index, body);
    }

    /** The version a compare-and-set of a document names: its sequence number and primary term. */
    record Version(String seqNo, String primaryTerm) {
        /** The version in a document's reply or search hit ({@code _seq_no}, {@code _primary_term}). */
        static Version of(JsonNode doc) {
            return new Version(doc.path("_seq_no").asText(), doc.path("_primary_term").asText());
        }

        /** {@code more} and the parameters that make a write or delete apply to this version only. */
        Map<String, String> params(Map<String, String> more) {
            Map<String, String> p = new LinkedHashMap<>(more);
            p.put("if_seq_no", seqNo);
            p.put("if_primary_term", primaryTerm);
            return p;
        }
    }

    /** A document read in real time, with the version a compare-and-set of it names. */
    record Versioned(JsonNode source, Version version) {
    }

    /**
     * Reads document {@code id} (path-safe) of {@code index} in real time; empty when there is none.
     *
     * @param what what is read, for the message when the cluster refuses ("reading a pending login")
     */
    java.util.Optional<Versioned> get(String index, String id, String what) {
        Reply r = send("GET", "/" + index + "/_doc/" + id, null, null);
        if (r.status() == 404 || r.ok() && !r.body().path("found").asBoolean()) {
            return java.util.Optional.empty();
        }
        if (!r.ok()) {
            throw refused(what, r);
        }
        return java.util.Optional.of(new Versioned(r.body().path("_source"), Version.of(r.body())));
    }

    /**
     * Writes {@code doc} as document {@code id} of {@code index} only if it is still at {@code version} (null:
     * only if there is none), refreshed at once so that the next read on any node sees it.
     *
     * @return the version written, empty when another writer came first (the cluster answered 409)
     */
    java.util.Optional<Version> casPut(String index, String id, Object doc, Version version, String what) {
        Map<String, String> params = version == null ? Map.of("op_type", "create", "refresh", "true")
                : version.params(Map.of("refresh", "true"));
        Reply r = send("PUT", "/" + index + "/_doc/" + id, params, doc);
        if (r.status() == 409) {
            return java.util.Optional.empty();
        }
        if (!r.ok()) {
            throw refused(what, r);
        }
        return java.util.Optional.of(Version.of(r.body()));
    }

    /**
     * Deletes document {@code id} of {@code index} with {@code params} (refresh, a version).
     *
     * @return whether it was there to delete (false also when a version given no longer matched)
     */
    boolean delete(String index, String id, Map<String, String> params, String what) {
        Reply r = send("DELETE", "/" + index + "/_doc/" + id, params, null);
        if (r.status() == 404 || r.status() == 409) {
            return false;
        }
        if (!r.ok()) {
            throw refused(what, r);
        }
        return true;
    }

    /** The JSON error the transport put in its exception's message (after the status line), if readable. */
    private JsonNode errorBody(ResponseException e) {
        String m = e.getMessage();
        int brace = m == null ? -1 : m.indexOf('{');
        if (brace >= 0) {
            try {
                return json.readTree(m.substring(brace));
            } catch (IOException | RuntimeException ignored) {
                // not JSON: the status says enough
            }
        }
        return MissingNode.getInstance();
    }

    /** Sends a request that must succeed (2xx). */
    JsonNode ok(String method, String endpoint, Map<String, String> params, Object body) {
        Reply r = send(method, endpoint, params, body);
        if (!r.ok()) {
            throw refused(method + " " + endpoint, r);
        }
        return r.body();
    }

    /** Sends NDJSON lines to {@code _bulk}; throws when the request or any item failed. */
    JsonNode bulk(List<Object> lines, String refresh) {
        if (lines.isEmpty()) {
            return MissingNode.getInstance();
        }
        JsonNode reply = bulkReply(lines, refresh, ONLY_ERRORS);
        if (reply.path("errors").asBoolean(false)) {
            for (JsonNode item : reply.path("items")) {
                for (JsonNode result : item) { // the reply is filtered: an item that did not fail may be empty
                    if (result.has("error")) {
                        throw new StoreException("OpenSearch at " + name() + " refused a write: "
                                + bounded(result.path("error").path("type").asText() + ": "
                                + result.path("error").path("reason").asText()));
                    }
                }
            }
            throw new StoreException("OpenSearch at " + name() + " refused a write (no reason given)");
        }
        return reply;
    }

    /**
     * As {@link #bulk} without refresh, except that a {@code create} finding its document there already (409) is
     * no failure: documents created once by their content's id (raw sources) are the same when found.
     */
    void bulkCreatingOnce(List<Object> lines) {
        if (lines.isEmpty()) {
            return;
        }
        JsonNode reply = bulkReply(lines, null, "errors,items.*.status,items.*.error");
        if (reply.path("errors").asBoolean(false)) {
            for (JsonNode item : reply.path("items")) {
                Map.Entry<String, JsonNode> op = item.fields().next();
                JsonNode result = op.getValue();
                if (result.has("error") && !(op.getKey().equals("create") && result.path("status").asInt() == 409)) {
                    throw new StoreException("OpenSearch at " + name() + " refused a write: " + itemError(result));
                }
            }
        }
    }

    /**
     * Sends NDJSON lines to {@code _bulk} and gives back each item's result (its status, and its error if it
     * failed), in the order of the actions; throws only when the request as a whole failed.
     */
    List<JsonNode> bulkItems(List<Object> lines) {
        if (lines.isEmpty()) {
            return List.of();
        }
        List<JsonNode> items = new java.util.ArrayList<>();
        for (JsonNode item : bulkReply(lines, null, null).path("items")) {
            items.add(item.elements().next());
        }
        return items;
    }

    /** The error of a failed bulk item, in one line. */
    String itemError(JsonNode result) {
        return bounded(result.path("error").path("type").asText() + ": " + result.path("error").path("reason").asText());
    }

    /**
     * Bulk lines as the bytes they are sent as: trees encoded, a line's bytes and encoded parts
     * ({@link BulkLines.Ndjson}) as they are. Lines that wait for a grouped commit are kept so: a tenth of the heap
     * their trees would take, which with a 512 MiB heap and several importers is the difference between a collector
     * that keeps up and one that takes half the importer's CPU.
     */
    List<Object> serialized(List<Object> lines) {
        List<Object> bytes = new java.util.ArrayList<>(lines.size());
        for (Object line : lines) {
            bytes.add(line instanceof byte[] || line instanceof BulkLines.Ndjson ? line : encode(line));
        }
        return java.util.Collections.unmodifiableList(bytes);
    }

    private byte[] encode(Object line) {
        try {
            return json.writeValueAsBytes(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends bulk lines: trees, a line's bytes, or {@link BulkLines.Ndjson} (lines already encoded, newlines and
     * all). The request body is made once at its exact size (growing a stream for 10 MB of lines copied them
     * three times over); a body of one encoded part is sent as it is.
     *
     * @param filter the reply's {@code filter_path}, or null for all of it (an item per line)
     */
    JsonNode bulkReply(List<Object> lines, String refresh, String filter) {
        byte[] body;
        if (lines.size() == 1 && lines.get(0) instanceof BulkLines.Ndjson only) {
            body = only.bytes();
        } else {
            List<Object> parts = serialized(lines);
            long size = 0;
            for (Object part : parts) {
                size += part instanceof BulkLines.Ndjson n ? n.bytes().length : ((byte[]) part).length + 1;
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a bulk request of " + size + " bytes");
            }
            body = new byte[(int) size];
            int at = 0;
            for (Object part : parts) {
                if (part instanceof BulkLines.Ndjson n) {
                    System.arraycopy(n.bytes(), 0, body, at, n.bytes().length);
                    at += n.bytes().length;
                } else {
                    byte[] b = (byte[]) part;
                    System.arraycopy(b, 0, body, at, b.length);
                    at += b.length;
                    body[at++] = '\n';
                }
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (refresh != null) {
            params.put("refresh", refresh);
        }
        if (filter != null) {
            params.put("filter_path", filter);
        }
        return ok("POST", "/_bulk", params, body);
    }

    StoreException refused(String what, Reply r) {
        JsonNode error = r.body().path("error");
        String reason = error.isTextual() ? error.asText()
                : error.path("type").asText("") + ": " + error.path("reason").asText("");
        return new StoreException("OpenSearch at " + name() + " refused " + what + " (HTTP " + r.status() + ", "
                + bounded(reason) + ")");
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return bounded(m);
    }

    private static String bounded(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 300 ? one.substring(0, 299) + "…" : one;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            // closing the HTTP client: nothing left to lose
        }
    }
}
