package io.dmarclens.web;

import io.dmarclens.parser.Bounded;
import io.dmarclens.store.Store;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ready}: 200 while the store answers and received mail can be processed (the inbox is
 * writable, every inbox worker runs, the last run could be stored); 503 with the reasons otherwise. Unlike
 * {@code /health}, which only says the process answers, this turns 503 when mail would pile up unread.
 */
final class Readiness {
    private final Store store;
    private final IngestConsole ingest;

    Readiness(Store store, IngestConsole ingest) {
        this.store = store;
        this.ingest = ingest;
    }

    void answer(Context ctx) {
        List<String> reasons = new ArrayList<>();
        try {
            store.overview().dateSpan();
        } catch (RuntimeException e) {
            reasons.add("the store cannot be read: " + Bounded.text(String.valueOf(e.getMessage()), Bounded.ITEM));
        }
        try {
            ingest.problem().ifPresent(p -> reasons.add(Bounded.text(p, Bounded.ITEM)));
        } catch (RuntimeException e) {
            reasons.add("the inbox cannot be checked: " + Bounded.text(String.valueOf(e.getMessage()), Bounded.ITEM));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", reasons.isEmpty() ? "ready" : "not ready");
        if (!reasons.isEmpty()) {
            body.put("reasons", reasons);
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(reasons.isEmpty() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }
}
