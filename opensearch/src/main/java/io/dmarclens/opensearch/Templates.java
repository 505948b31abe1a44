package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Our index templates and mappings, versioned: installed or upgraded when the store opens, with the
 * version in each template's {@code _meta}. A cluster whose templates are newer than this build knows is
 * refused, as the embedded store refuses a database of a newer schema. Mappings are strict (a field not in
 * them is a bug, not a new column) and live in {@code templates/FAMILY.json} beside this class; see
 * docs/opensearch.md.
 */
final class Templates {
    /**
     * The version of the templates this build writes; raise it with every change of a mapping or setting.
     * 2: the search object; 3: the {@code meta} index (the version of the derived documents, reindex progress);
     * 4: fields only read back from a record's source are not indexed, the search object keeps no doc values nor
     * norms it never uses (same documents: no reindex).
     * 5: the {@code compact} index (compact rollup per day and source, {@link Compaction}).
     * 6: the compact documents hold the forwarded mail's DKIM-aligned messages and reason types (recomputed
     * on open, {@link Compaction#SINCE_VERSION}; the per-report documents are the same: no reindex).
     * 7: compact documents per reporter and source ({@link Compaction#REPORTER_SOURCE}, field {@code reporter}),
     * computed on open as 6's.
     * 8: compact documents per policy domain ({@link Compaction#DOMAIN}: the policy impact's sums), computed on open
     * as 6's.
     * When the derived documents change (what a record's search object or rollups hold), raise
     * {@link Reindex#DERIVED_SINCE} to the new version too: stores written before are then told to reindex.
     */
    static final int VERSION = 8;
    static final String META_KEY = "dmarc_lens_template_version";

    private final Cluster cluster;
    private final IndexNames names;
    private final OpenSearchSettings settings;

    Templates(Cluster cluster, IndexNames names, OpenSearchSettings settings) {
        this.cluster = cluster;
        this.names = names;
        this.settings = settings;
    }

    /**
     * Installs the templates when missing or older, refuses newer ones, and creates the fixed indices (and
     * the read aliases of the monthly ones, so reads of an empty store find them).
     *
     * @return the version installed before (0: none, a new store)
     */
    int install() {
        int installed = installedVersion();
        if (installed > VERSION) {
            throw new StoreException("the OpenSearch indices under prefix '" + names.prefix() + "' at "
                    + cluster.name() + " were set up by a newer DMARC Lens (template version " + installed
                    + ", this one knows " + VERSION + "): upgrade DMARC Lens, or use another index prefix");
        }
        // In parallel: the cluster manager batches concurrent index creations into one cluster state update,
        // which makes opening a new store several times faster than creating the indices one by one.
        if (installed < VERSION) {
            inParallel(Family.values(), f -> cluster.ok("PUT", "/_index_template/" + names.template(f), null,
                    template(f)));
        }
        inParallel(java.util.Arrays.stream(Family.values()).filter(f -> !f.monthly).toArray(Family[]::new),
                f -> ensureIndex(names.of(f)));
        if (installed > 0 && installed < VERSION) {
            upgradeMappings();
        }
        return installed;
    }

    private void inParallel(Family[] families, java.util.function.Consumer<Family> task) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(8, families.length));
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (Family f : families) {
                done.add(pool.submit(() -> task.accept(f)));
            }
            for (java.util.concurrent.Future<?> d : done) {
                try {
                    d.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while setting up the indices at " + cluster.name());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The highest template version found under our prefix, 0 when none is installed. */
    int installedVersion() {
        Cluster.Reply r = cluster.send("GET", "/_index_template/" + names.prefix() + "-*", null, null);
        if (r.status() == 404) {
            return 0;
        }
        if (!r.ok()) {
            throw cluster.refused("reading the index templates", r);
        }
        int max = 0;
        for (JsonNode t : r.body().path("index_templates")) {
            String name = t.path("name").asText();
            if (isOurs(name)) {
                max = Math.max(max, t.path("index_template").path("_meta").path(META_KEY).asInt(0));
            }
        }
        return max;
    }

    private boolean isOurs(String templateName) {
        for (Family f : Family.values()) {
            if (names.template(f).equals(templateName)) {
                return true;
            }
        }
        return false;
    }

    /** Creates a month index of a monthly family (with its read alias, from the template) if missing. */
    void ensureIndex(String index) {
        // Written to only once its replicas are in sync (Cluster#awaitCopies): a month index is created in the
        // middle of an import, and the death of its primary's node must not leave it without a copy.
        cluster.createIndex(index, null);
    }

    /**
     * Adds the fields an existing index lacks. A field it has keeps how it was indexed (OpenSearch cannot change
     * that in place; version 4 indexes some fields no more, which only new month indices get): the documents are
     * the same either way, so reads stay exact on old and new indices alike.
     */
    private void upgradeMappings() {
        for (Family f : Family.values()) {
            String target = f.monthly ? names.pattern(f) : names.of(f);
            JsonNode existing = cluster.ok("GET", "/" + target + "/_mapping", Map.of("allow_no_indices", "true",
                    "ignore_unavailable", "true"), null);
            JsonNode wanted = mapping(f);
            var indices = existing.fields();
            while (indices.hasNext()) {
                var index = indices.next();
                ObjectNode missing = missing(wanted, index.getValue().path("mappings"));
                if (missing != null) {
                    cluster.ok("PUT", "/" + index.getKey() + "/_mapping", Map.of(), missing);
                }
            }
        }
    }

    /** The part of {@code wanted} (a mapping or an object field) whose properties {@code have} lacks; null: none. */
    static ObjectNode missing(JsonNode wanted, JsonNode have) {
        ObjectNode props = JsonNodes.object();
        var fields = wanted.path("properties").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode old = have.path("properties").path(field.getKey());
            if (old.isMissingNode()) {
                props.set(field.getKey(), field.getValue());
            } else if (field.getValue().has("properties")) {
                ObjectNode inner = missing(field.getValue(), old);
                if (inner != null) {
                    props.set(field.getKey(), inner);
                }
            }
        }
        if (props.isEmpty()) {
            return null;
        }
        ObjectNode out = JsonNodes.object();
        out.set("properties", props);
        return out;
    }

    ObjectNode template(Family f) {
        ObjectMapper json = cluster.json();
        ObjectNode t = json.createObjectNode();
        t.putArray("index_patterns").add(f.monthly ? names.pattern(f) : names.of(f));
        // Above the cluster's own templates; one prefix's templates never match another's indices.
        t.put("priority", 500);
        t.putObject("_meta").put(META_KEY, VERSION).put("family", f.suffix);
        ObjectNode template = t.putObject("template");
        ObjectNode index = template.putObject("settings").putObject("index");
        index.put("number_of_shards", settings.shards());
        index.put("number_of_replicas", settings.replicas());
        // Every write is fsynced before it is acknowledged: the durable inbox lets a message go on that.
        index.put("translog.durability", "request");
        // Nothing becomes searchable behind the store's back: it refreshes when a report is whole.
        index.put("refresh_interval", "-1");
        template.set("mappings", mapping(f));
        if (f.monthly) {
            template.putObject("aliases").putObject(names.of(f));
        }
        return t;
    }

    private JsonNode mapping(Family f) {
        String resource = "templates/" + f.suffix + ".json";
        try (InputStream in = Templates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            JsonNode mapping = cluster.json().readTree(in);
            if (f == Family.RECORDS || f == Family.FAILURES || f == Family.TLS_FAILURES) {
                // What search looks in, under the names users type (version 2).
                ((ObjectNode) mapping.path("properties")).set(SearchDocs.FIELD, SearchDocs.mapping());
            }
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
