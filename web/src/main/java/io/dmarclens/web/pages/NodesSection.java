package io.dmarclens.web.pages;

import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.html.Html;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.stream.Collectors;

/**
 * The Ingest page's list of the cluster's nodes: name, roles, version, last heartbeat (stale ones marked), inbox
 * depth and the leases held. Every value was written by one of our nodes, and is escaped all the same.
 */
final class NodesSection {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private NodesSection() {
    }

    static void render(Html h, IngestConsole.NodeView view) {
        if (view.nodes().isEmpty()) {
            return;
        }
        h.open("section", "class", "card", "id", "nodes");
        h.el("h2", "Nodes");
        h.el("p", "Every DMARC Lens node on this store, by its last heartbeat. A node whose heartbeat is older than "
                + view.staleAfter().toSeconds() + " s is marked stale: it stopped or cannot reach the store, and"
                + " other nodes take its leases over once they expire.", "class", "muted");
        h.open("table", "class", "data", "id", "node-list");
        h.open("tr").el("th", "Node").el("th", "Roles").el("th", "Version").el("th", "Last heartbeat")
                .el("th", "Inbox").el("th", "Leases held").el("th", "Started").close();
        for (NodeStatus n : view.nodes()) {
            boolean stale = n.staleAt(view.now(), view.staleAfter());
            h.open("tr", "data-node", n.name(), "data-stale", String.valueOf(stale));
            h.el("td", n.name() + (n.name().equals(view.self()) ? " (this node)" : ""));
            h.el("td", n.roles().stream().sorted().map(NodeRole::id).collect(Collectors.joining(", ")));
            h.el("td", n.version());
            h.open("td").text(AT.format(n.heartbeatAt()) + " (" + ago(view, n) + ")");
            if (stale) {
                h.el("span", "stale", "class", "badge bad", "data-badge", "stale");
            }
            h.close();
            h.el("td", n.inboxDepth());
            h.el("td", n.leases().isEmpty() ? "none" : String.join(", ", n.leases()));
            h.el("td", AT.format(n.startedAt()));
            h.close();
        }
        h.close().close();
    }

    private static String ago(IngestConsole.NodeView view, NodeStatus n) {
        Duration d = Duration.between(n.heartbeatAt(), view.now());
        if (d.isNegative()) {
            return "just now";
        }
        long s = d.toSeconds();
        return s < 120 ? s + " s ago" : s < 7200 ? d.toMinutes() + " min ago" : d.toHours() + " h ago";
    }
}
