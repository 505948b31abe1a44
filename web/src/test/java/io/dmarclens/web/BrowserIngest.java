package io.dmarclens.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Interim ingest side for the browser test until the durable inbox is wired in: quarantines what is not XML feedback. */
final class BrowserIngest implements IngestConsole {
    private final Path dir;
    private final List<LogEntry> log = new CopyOnWriteArrayList<>();
    private final List<Quarantined> quarantine = new CopyOnWriteArrayList<>();

    private BrowserIngest(Path dir) {
        this.dir = dir;
    }

    static IngestConsole create(Path dataDir) throws IOException {
        return new BrowserIngest(Files.createDirectories(dataDir.resolve("test-inbox")));
    }

    @Override
    public List<LogEntry> log(int offset, int limit) {
        List<LogEntry> l = new ArrayList<>(log);
        return l.subList(Math.min(offset, l.size()), Math.min(l.size(), offset + limit));
    }

    @Override
    public long logSize() {
        return log.size();
    }

    @Override
    public List<Quarantined> quarantine() {
        return List.copyOf(quarantine);
    }

    @Override
    public Optional<InputStream> openQuarantined(String id) throws IOException {
        Path p = dir.resolve(id);
        return Files.exists(p) ? Optional.of(new ByteArrayInputStream(Files.readAllBytes(p))) : Optional.empty();
    }

    @Override
    public String retry(String id) {
        return "still quarantined";
    }

    @Override
    public String accept(String user, String fileName, InputStream data) throws IOException {
        String id = "u" + System.nanoTime();
        byte[] bytes = data.readAllBytes();
        Files.write(dir.resolve(id), bytes);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (!text.contains("<feedback")) {
            quarantine.add(new Quarantined(id, Instant.now(), "upload", fileName, "XML is not a DMARC report: root element <html>", bytes.length));
            log.add(new LogEntry(Instant.now(), "upload", fileName, "quarantined", "not a report"));
        }
        return id;
    }
}
