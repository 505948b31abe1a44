package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dmarclens.store.StoreException;
import java.io.ByteArrayOutputStream;
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
    /** How long {@link #awaitCopies} waits: well below the client's 30 s socket timeout. */
    static final java.time.Duration COPIES_WAIT = java.time.Duration.ofSeconds(20);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Cluster.class);
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
     * Creates an index unless it exists, then waits until each of its shards has every copy the cluster can
     * hold started (see {@link #awaitCopies}).
     *
     * @return whether this call created it (false: it existed)
     */
    boolean createIndex(String index, Object body) {
        Reply r = send("PUT", "/" + index, null, body);
        if (!r.ok() && !r.body().path("error").path("type").asText().equals("resource_already_exists_exception")) {
            throw refused("creating the index " + index, r);
        }
        awaitCopies(index);
        return r.ok();
    }

    /**
     * Waits (at most {@link #COPIES_WAIT}) until every copy of the index's shards that the cluster can hold is
     * started. A new index answers as soon as its primaries are started, while its replicas are still being
     * built from them; a write acknowledged then is on the primary alone, and a replica still being built is
     * not in sync, so it cannot take over: the death of the primary's node leaves the index without a copy
     * (red) and loses what was written to it, and every later write to it waits in vain. Also when another
     * node created the index: that node waits, this one writes at once. A cluster with fewer data nodes than
     * copies is waited for only as far as it can go. When the time is up the writes go on (logged): the
     * index works, its replicas only come later.
     */
    void awaitCopies(String index) {
        if (settings.replicas() == 0) {
            return;
        }
        JsonNode now = ok("GET", "/_cluster/health/" + index, null, null);
        if ("green".equals(now.path("status").asText())) {
            return;
        }
        int copies = settings.replicas() + 1;
        int shards = (now.path("active_shards").asInt() + now.path("initializing_shards").asInt()
                + now.path("unassigned_shards").asInt()) / copies;
        int reachable = Math.min(copies, Math.max(1, now.path("number_of_data_nodes").asInt(1)));
        Reply r = send("GET", "/_cluster/health/" + index, Map.of("wait_for_active_shards",
                String.valueOf(Math.max(1, shards) * reachable), "timeout", COPIES_WAIT.toSeconds() + "s"), null);
        if (!r.ok() || r.body().path("timed_out").asBoolean(false)) {
            LOG.warn("OpenSearch at {}: the copies of {} are not all started after {} s; writing to it anyway",
                    name(), index, COPIES_WAIT.toSeconds());
        }
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
        JsonNode reply = bulkReply(lines, refresh);
        if (reply.path("errors").asBoolean(false)) {
            for (JsonNode item : reply.path("items")) {
                JsonNode result = item.elements().next();
                if (result.has("error")) {
                    throw new StoreException("OpenSearch at " + name() + " refused a write: "
                            + bounded(result.path("error").path("type").asText() + ": "
                            + result.path("error").path("reason").asText()));
                }
            }
        }
        return reply;
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
        for (JsonNode item : bulkReply(lines, null).path("items")) {
            items.add(item.elements().next());
        }
        return items;
    }

    /** The error of a failed bulk item, in one line. */
    String itemError(JsonNode result) {
        return bounded(result.path("error").path("type").asText() + ": " + result.path("error").path("reason").asText());
    }

    private JsonNode bulkReply(List<Object> lines, String refresh) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 200);
        try {
            for (Object line : lines) {
                json.writeValue(out, line);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> params = refresh == null ? Map.of() : Map.of("refresh", refresh);
        return ok("POST", "/_bulk", params, out.toByteArray());
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
