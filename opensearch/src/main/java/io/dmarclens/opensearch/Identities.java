package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The identity documents of index {@code ids}: one per report identity, saying which copy is current, which
 * one an importer is writing ({@code pending}) and which are being removed ({@code retired}). Every change is
 * a compare-and-set on the document's sequence number, so two importers of the same report, in one process
 * or two, cannot both store it: one claims the identity, the other waits for its outcome and then finds a
 * duplicate. An importer that dies leaves its claim behind; a claim whose document has not changed for
 * {@link #STALE_NANOS} (importers touch it while they write) is taken over, and what the dead importer wrote
 * is removed.
 */
final class Identities {
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_MILLIS = 50;

    private final Cluster cluster;
    private final IndexNames names;
    private final String owner;
    private final Batcher<Creation, Outcome> creating = new Batcher<>(this::createAll);

    /** The copy an identity document names as current. */
    record Stored(long ref, String partial, long records, boolean unverified) {
    }

    /**
     * An identity claimed for writing one copy.
     *
     * @param key      the identity document's id
     * @param kind     aggregate or tls
     * @param ref      the copy being written
     * @param current  the copy stored before, or null
     * @param retired  copies to remove once this one is current (older copies, a dead importer's writes)
     */
    record Claim(String key, String kind, long ref, long seqNo, long primaryTerm, Stored current, List<Long> retired) {
    }

    /** What a claim found: a claim to write, or the stored copy that makes the new one a duplicate. */
    record Outcome(Claim claim, Stored duplicateOf) {
    }

    Identities(Cluster cluster, IndexNames names, String owner) {
        this.cluster = cluster;
        this.names = names;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    private String doc(String key) {
        return "/" + names.of(Family.IDS) + "/_doc/" + key;
    }

    /**
     * Claims {@code key} for writing copy {@code ref}, unless the stored copy stays ({@code replaceable} says
     * whether it may be replaced, before the new copy's end decides for good).
     *
     * @param ownPending called when this store holds the claim itself in an uncommitted group: it must commit
     *                   the group, after which the claim is tried again
     * @param ownAlive   whether a claim this store holds is being written now (else it was left by a failed
     *                   write of this store, and is taken over at once instead of waiting for it to go stale)
     */
    Outcome claim(String key, String kind, long ref, Predicate<Stored> replaceable, Runnable ownPending,
                  Predicate<String> ownAlive) {
        long waitingSince = 0;
        long seenSeq = -1;
        // Most reports are new: creating the identity document first is one request where reading it first was two.
        Outcome fresh = create(key, kind, ref);
        if (fresh != null) {
            return fresh;
        }
        while (true) {
            Cluster.Reply got = cluster.send("GET", doc(key), null, null);
            if (got.status() == 404) {
                fresh = create(key, kind, ref);
                if (fresh == null) {
                    continue; // another importer created it a moment ago: read what it says
                }
                return fresh;
            }
            if (!got.ok()) {
                throw cluster.refused("reading a report identity", got);
            }
            JsonNode src = got.body().path("_source");
            long seq = got.body().path("_seq_no").asLong();
            long term = got.body().path("_primary_term").asLong();
            Stored current = src.hasNonNull("current") ? new Stored(src.path("current").asLong(),
                    src.hasNonNull("current_partial") ? src.path("current_partial").asText() : null,
                    src.path("current_records").asLong(), src.path("current_unverified").asBoolean()) : null;
            List<Long> retired = new ArrayList<>();
            src.path("retired").forEach(r -> retired.add(r.asLong()));
            if (src.hasNonNull("pending")) {
                long pendingRef = src.path("pending").asLong();
                boolean ours = owner.equals(src.path("pending_owner").asText());
                if (ours && ownPending != null) {
                    ownPending.run(); // our own uncommitted group holds it: commit that first, then decide
                    ownPending = null;
                    continue;
                }
                if (ours && !ownAlive.test(key)) {
                    seenSeq = seq;
                    waitingSince = System.nanoTime() - STALE_NANOS; // left by a failed write of ours
                } else if (seq != seenSeq) {
                    seenSeq = seq;
                    waitingSince = System.nanoTime();
                }
                if (System.nanoTime() - waitingSince < STALE_NANOS) {
                    sleep();
                    continue;
                }
                // Untouched for too long: its importer died. What it wrote goes when this copy is current.
                if (pendingRef != ref) {
                    retired.add(pendingRef);
                }
            }
            if (current != null && !replaceable.test(current)) {
                return new Outcome(null, current);
            }
            ObjectNode update = (ObjectNode) src.deepCopy();
            update.put("kind", kind);
            pending(update, ref);
            ArrayNode r = update.putArray("retired");
            retired.forEach(r::add);
            Cluster.Reply put = cluster.send("PUT", doc(key), Map.of("if_seq_no", String.valueOf(seq),
                    "if_primary_term", String.valueOf(term)), update);
            if (put.status() == 409) {
                continue;
            }
            if (!put.ok()) {
                throw cluster.refused("claiming a report identity", put);
            }
            return new Outcome(new Claim(key, kind, ref, put.body().path("_seq_no").asLong(),
                    put.body().path("_primary_term").asLong(), current, retired), null);
        }
    }

    /** An identity document to create, claimed for {@code ref}. */
    private record Creation(String key, String kind, long ref) {
    }

    /**
     * Creates the identity document claimed for {@code ref}; null when it exists already. Importers creating at
     * the same moment (the inbox workers, each on its own report) share one bulk request ({@link Batcher}): each
     * document is still created once, and each creation succeeds or finds the document on its own.
     */
    private Outcome create(String key, String kind, long ref) {
        return creating.write(new Creation(key, kind, ref));
    }

    private void createAll(List<Batcher.Item<Creation, Outcome>> batch) {
        List<Object> lines = new ArrayList<>(2 * batch.size());
        for (Batcher.Item<Creation, Outcome> item : batch) {
            Creation c = item.value();
            ObjectNode action = JsonNodes.object();
            action.putObject("create").put("_index", names.of(Family.IDS)).put("_id", c.key());
            lines.add(action);
            ObjectNode fresh = JsonNodes.object();
            fresh.put("kind", c.kind());
            pending(fresh, c.ref());
            lines.add(fresh);
        }
        List<JsonNode> items = cluster.bulkItems(lines);
        for (int i = 0; i < batch.size(); i++) {
            Batcher.Item<Creation, Outcome> item = batch.get(i);
            Creation c = item.value();
            JsonNode r = i < items.size() ? items.get(i) : null;
            if (r == null) {
                item.fail(new StoreException("OpenSearch at " + cluster.name()
                        + " did not answer for a report identity while claiming it"));
            } else if (r.path("status").asInt() == 409) {
                item.done(null);
            } else if (r.has("error")) {
                item.fail(new StoreException("OpenSearch at " + cluster.name() + " refused claiming a report identity ("
                        + cluster.itemError(r) + ")"));
            } else {
                item.done(new Outcome(new Claim(c.key(), c.kind(), c.ref(), r.path("_seq_no").asLong(),
                        r.path("_primary_term").asLong(), null, new ArrayList<>()), null));
            }
        }
    }

    private void pending(ObjectNode d, long ref) {
        d.put("pending", ref);
        d.put("pending_owner", owner);
        d.put("pending_beat", System.nanoTime()); // only that the document changes matters (STALE_NANOS)
    }

    /** Touches the claim so that other importers do not take it for a dead one; returns the claim as now. */
    Claim heartbeat(Claim c) {
        ObjectNode d = document(c, c.current());
        pending(d, c.ref());
        return write(c, d, "keeping a report identity claimed");
    }

    /**
     * What completing one claim came to: the claim as now, or why it could not be completed.
     *
     * @param claim the claim as now (listing what is to be removed), or null when it failed
     * @param error why it failed (the claim was lost, or the write refused), or null
     */
    record Completed(Claim claim, StoreException error) {
    }

    /**
     * Makes the claimed copies current (readers see them whole from the next refresh of {@code ids}), retiring
     * the copies they replace, in one bulk request (a grouped commit): each identity document still
     * changes only by compare-and-set (its own {@code if_seq_no}/{@code if_primary_term}), so each claim
     * succeeds or fails on its own, as with one request each, but the group costs one round trip and one
     * fsync of {@code ids} instead of one per report.
     *
     * @param ended the claims with what each copy is (partial reason, records, unverified)
     * @return one outcome per claim, in order
     */
    List<Completed> completeAll(List<Writes.Ended> ended) {
        List<Claim> next = new ArrayList<>();
        List<Object> lines = new ArrayList<>();
        for (Writes.Ended e : ended) {
            Claim c = e.claim();
            List<Long> retired = new ArrayList<>(c.retired());
            if (c.current() != null && c.current().ref() != c.ref()) {
                retired.add(c.current().ref());
            }
            Stored now = new Stored(c.ref(), e.partial(), e.records(), e.unverified());
            Claim n = new Claim(c.key(), c.kind(), c.ref(), c.seqNo(), c.primaryTerm(), now, retired);
            next.add(n);
            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", names.of(Family.IDS)).put("_id", c.key())
                    .put("if_seq_no", c.seqNo()).put("if_primary_term", c.primaryTerm());
            lines.add(action);
            lines.add(document(n, now));
        }
        List<com.fasterxml.jackson.databind.JsonNode> items = cluster.bulkItems(lines);
        List<Completed> out = new ArrayList<>();
        for (int i = 0; i < next.size(); i++) {
            Claim n = next.get(i);
            com.fasterxml.jackson.databind.JsonNode r = i < items.size() ? items.get(i) : null;
            if (r == null) {
                out.add(new Completed(null, new StoreException("OpenSearch at " + cluster.name()
                        + " did not answer for a report identity while storing a report")));
            } else if (r.path("status").asInt() == 409) {
                out.add(new Completed(null, new StoreException("OpenSearch at " + cluster.name()
                        + ": another importer took over the report identity while this one was storing a report"
                        + " (it took too long); import it again")));
            } else if (r.has("error")) {
                out.add(new Completed(null, new StoreException("OpenSearch at " + cluster.name()
                        + " refused storing a report (" + cluster.itemError(r) + ")")));
            } else {
                out.add(new Completed(new Claim(n.key(), n.kind(), n.ref(), r.path("_seq_no").asLong(),
                        r.path("_primary_term").asLong(), n.current(), n.retired()), null));
            }
        }
        return out;
    }

    /** Gives up the claim: the stored copy (if any) stays current. */
    void release(Claim c) {
        ObjectNode d = document(c, c.current());
        Cluster.Reply r = cluster.send("PUT", doc(c.key()), Map.of("if_seq_no", String.valueOf(c.seqNo()),
                "if_primary_term", String.valueOf(c.primaryTerm())), d);
        if (!r.ok() && r.status() != 409) {
            throw cluster.refused("releasing a report identity", r);
        }
    }

    /** Says that the retired copies are gone (best effort: a later claim retires them again). */
    void forgetRetired(Claim c) {
        if (c.retired().isEmpty()) {
            return;
        }
        ObjectNode d = document(new Claim(c.key(), c.kind(), c.ref(), c.seqNo(), c.primaryTerm(), c.current(),
                List.of()), c.current());
        cluster.send("PUT", doc(c.key()), Map.of("if_seq_no", String.valueOf(c.seqNo()),
                "if_primary_term", String.valueOf(c.primaryTerm())), d);
    }

    /** Removes the identity when its current copy was deleted (retention). */
    void forget(String key) {
        Cluster.Reply r = cluster.send("DELETE", doc(key), null, null);
        if (!r.ok() && r.status() != 404) {
            throw cluster.refused("deleting a report identity", r);
        }
    }

    private Claim write(Claim c, ObjectNode d, String what) {
        Cluster.Reply r = cluster.send("PUT", doc(c.key()), Map.of("if_seq_no", String.valueOf(c.seqNo()),
                "if_primary_term", String.valueOf(c.primaryTerm())), d);
        if (r.status() == 409) {
            throw new StoreException("OpenSearch at " + cluster.name() + ": another importer took over the report"
                    + " identity while this one was " + what + " (it took too long); import it again");
        }
        if (!r.ok()) {
            throw cluster.refused(what, r);
        }
        return new Claim(c.key(), c.kind(), c.ref(), r.body().path("_seq_no").asLong(),
                r.body().path("_primary_term").asLong(), c.current(), c.retired());
    }

    private static ObjectNode document(Claim c, Stored current) {
        ObjectNode d = JsonNodes.object();
        d.put("kind", c.kind());
        if (current != null) {
            d.put("current", current.ref());
            if (current.partial() != null) {
                d.put("current_partial", current.partial());
            }
            d.put("current_records", current.records());
            d.put("current_unverified", current.unverified());
        }
        ArrayNode r = d.putArray("retired");
        c.retired().forEach(r::add);
        return d;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for another importer of the same report");
        }
    }
}
