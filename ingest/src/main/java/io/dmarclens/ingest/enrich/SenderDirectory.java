package io.dmarclens.ingest.enrich;

import io.dmarclens.parser.DomainNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Known sending services by domain and by autonomous system, read from our {@code senders.tsv} and
 * optionally a user's file in the same format merged over it. Each line is
 * {@code key<TAB>name<TAB>type}; {@code #} starts a comment. A key is
 * <ul>
 *   <li>a domain ({@code amazonses.com}): matches the name and every name under it, the longest
 *       listed domain winning ({@code protection.outlook.com} before {@code outlook.com});</li>
 *   <li>a first-label pattern ({@code lists.*}): matches any name whose first label is that word;</li>
 *   <li>an autonomous system ({@code AS15169}).</li>
 * </ul>
 */
public final class SenderDirectory {
    private static final String BUILT_IN = "senders.tsv";

    private final Map<String, KnownSender> byDomain = new HashMap<>();
    private final Map<String, KnownSender> byFirstLabel = new HashMap<>();
    private final Map<Long, KnownSender> byAsn = new HashMap<>();

    private SenderDirectory() {
    }

    /** Our built-in list only. */
    public static SenderDirectory builtIn() {
        SenderDirectory directory = new SenderDirectory();
        try (InputStream in = SenderDirectory.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in " + BUILT_IN + " is missing from the class path");
            }
            directory.load(in, BUILT_IN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    /** Our built-in list with the user's file merged over it (same keys replace ours). */
    public static SenderDirectory withUserFile(Path userFile) throws IOException {
        SenderDirectory directory = builtIn();
        try (InputStream in = Files.newInputStream(userFile)) {
            directory.load(in, userFile.toString());
        }
        return directory;
    }

    /** Number of entries, for tests and the log. */
    public int size() {
        return byDomain.size() + byFirstLabel.size() + byAsn.size();
    }

    /** The service a host name (or one of its parent domains) belongs to. */
    public Optional<KnownSender> byHostName(String hostName) {
        String name = DomainNames.normalise(hostName);
        if (name == null) {
            return Optional.empty();
        }
        for (String d = name; ; ) {
            KnownSender hit = byDomain.get(d);
            if (hit != null) {
                return Optional.of(hit);
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                break;
            }
            d = d.substring(dot + 1);
        }
        int dot = name.indexOf('.');
        return dot > 0 ? Optional.ofNullable(byFirstLabel.get(name.substring(0, dot))) : Optional.empty();
    }

    public Optional<KnownSender> byAsn(Long asn) {
        return asn == null ? Optional.empty() : Optional.ofNullable(byAsn.get(asn));
    }

    private void load(InputStream in, String origin) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cols = trimmed.split("\t+");
            if (cols.length < 3) {
                throw new IllegalArgumentException(origin + " line " + number
                        + ": expected key<TAB>name<TAB>type, got '" + trimmed + "'");
            }
            String key = cols[0].strip().toLowerCase(Locale.ROOT);
            KnownSender sender = new KnownSender(cols[1].strip(), cols[2].strip());
            if (key.matches("as\\d+")) {
                byAsn.put(Long.parseLong(key.substring(2)), sender);
            } else if (key.endsWith(".*")) {
                byFirstLabel.put(key.substring(0, key.length() - 2), sender);
            } else {
                byDomain.put(DomainNames.normalise(key), sender);
            }
        }
    }
}
