package io.dmarclens.opensearch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the OpenSearch store keeps its indices and how it signs in.
 *
 * @param urls          the cluster's HTTP(S) addresses, e.g. {@code http://127.0.0.1:9200}; at least one
 * @param user          user name for basic authentication, or null
 * @param password      its password, or null
 * @param apiKey        an API key (sent as {@code Authorization: ApiKey ...}) instead of a user, or null
 * @param caCertificate a PEM CA certificate that signs the cluster's HTTPS certificate, or null for the JVM's
 * @param indexPrefix   the start of every index, alias and template name, so that several installations share a
 *                      cluster; lower case letters, digits, {@code -} and {@code _}
 * @param shards        primary shards of each index
 * @param replicas      replicas of each shard
 * @param commitGroupWindow how long reports imported with {@code CommitMode.GROUPED} wait at most before their
 *                      group is committed (made visible); longer means fewer refreshes and merges on the nodes
 *                      for an offline bulk import, later visibility for readers; null: {@link #DEFAULT_COMMIT_GROUP_WINDOW}
 */
public record OpenSearchSettings(List<URI> urls, String user, String password, String apiKey, Path caCertificate,
                                 String indexPrefix, int shards, int replicas, Duration commitGroupWindow) {
    /** The grouping window when none is given: what serve's readers wait at most for a new report. */
    public static final Duration DEFAULT_COMMIT_GROUP_WINDOW = Duration.ofSeconds(2);
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public OpenSearchSettings {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one OpenSearch URL is needed");
        }
        for (URI u : urls) {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("an OpenSearch URL must start with http:// or https://: " + u);
            }
        }
        Objects.requireNonNull(indexPrefix, "indexPrefix");
        if (!PREFIX.matcher(indexPrefix).matches()) {
            throw new IllegalArgumentException("the index prefix must be lower case letters, digits, - and _"
                    + " (at most 64): " + indexPrefix);
        }
        if (shards < 1 || replicas < 0) {
            throw new IllegalArgumentException("shards must be at least 1 and replicas at least 0");
        }
        if (apiKey != null && user != null) {
            throw new IllegalArgumentException("give either a user and password or an API key, not both");
        }
        if (commitGroupWindow == null) {
            commitGroupWindow = DEFAULT_COMMIT_GROUP_WINDOW;
        }
        if (commitGroupWindow.toMillis() < 1 || commitGroupWindow.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("the commit group window must be between 1 ms and 10 minutes: "
                    + commitGroupWindow);
        }
    }

    /** Settings with the default commit group window. */
    public OpenSearchSettings(List<URI> urls, String user, String password, String apiKey, Path caCertificate,
                              String indexPrefix, int shards, int replicas) {
        this(urls, user, password, apiKey, caCertificate, indexPrefix, shards, replicas, null);
    }

    /** One node without authentication, 1 shard and no replica per index: a single local node. */
    public static OpenSearchSettings local(URI url, String indexPrefix) {
        return new OpenSearchSettings(List.of(url), null, null, null, null, indexPrefix, 1, 0);
    }

    /** The same settings with another number of shards and replicas. */
    public OpenSearchSettings withShards(int shards, int replicas) {
        return new OpenSearchSettings(urls, user, password, apiKey, caCertificate, indexPrefix, shards, replicas,
                commitGroupWindow);
    }

    /** The same settings with another commit group window. */
    public OpenSearchSettings withCommitGroupWindow(Duration window) {
        return new OpenSearchSettings(urls, user, password, apiKey, caCertificate, indexPrefix, shards, replicas,
                window);
    }

    /** The cluster as named in messages: its first URL (and how many more). */
    public String clusterName() {
        return urls.get(0) + (urls.size() > 1 ? " (+" + (urls.size() - 1) + " more)" : "");
    }

    @Override
    public String toString() {
        // Never the password nor the key.
        return "OpenSearchSettings[" + clusterName() + ", prefix " + indexPrefix + ", " + shards + " shards, "
                + replicas + " replicas, commit group window " + commitGroupWindow.toMillis() + " ms" + (user != null ? ", user " + user : "") + (apiKey != null ? ", API key" : "")
                + "]";
    }
}
