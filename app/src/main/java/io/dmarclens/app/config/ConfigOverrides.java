package io.dmarclens.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The command-line flags that override the file and the environment; null (or empty) for "not given".
 *
 * @param opensearch {@code --opensearch URL}: the store is on this OpenSearch cluster
 */
public record ConfigOverrides(Path dataDir, String smtpListen, String webListen, List<String> recipients,
                              Boolean offline, String opensearch) {
    public ConfigOverrides(Path dataDir, String smtpListen, String webListen, List<String> recipients, Boolean offline) {
        this(dataDir, smtpListen, webListen, recipients, offline, null);
    }

    public static ConfigOverrides none() {
        return new ConfigOverrides(null, null, null, null, null, null);
    }

    /** Only the data directory and the store (for the commands that open a store but serve nothing). */
    public static ConfigOverrides store(Path dataDir, String opensearch) {
        return new ConfigOverrides(dataDir, null, null, null, null, opensearch);
    }
}
