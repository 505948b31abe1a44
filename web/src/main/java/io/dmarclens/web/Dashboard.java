package io.dmarclens.web;

import java.time.Clock;
import java.util.List;

/** Placeholder until the store lands: the pages and API routes built on the store. */
public final class Dashboard {
    List<RouteModule> modules(IngestConsole ingest, Clock clock) {
        return List.of();
    }
}
