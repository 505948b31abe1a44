package io.dmarclens.ingest.testing;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.ingest.inbox.MessageProcessor;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the import pipeline in the inbox tests, where only the inbox's own behaviour is under
 * test: counts each report (the message's Subject "Report-ID") once, and refuses messages without one.
 */
public final class ReportIdProcessor implements MessageProcessor {
    public final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    @Override
    public ProcessingResult process(InboxMessage message, Path data) throws java.io.IOException {
        String text = new String(java.nio.file.Files.readAllBytes(data), java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Report-ID:\\s+(\\S+)").matcher(text);
        if (!m.find()) {
            return ProcessingResult.invalid("no Report-ID in the subject");
        }
        int n = seen.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
        return n == 1 ? new ProcessingResult(1, 50, 0, Set.of("aggregate"), List.of(), null)
                : new ProcessingResult(0, 0, 1, Set.of("aggregate"), List.of(), null);
    }
}
