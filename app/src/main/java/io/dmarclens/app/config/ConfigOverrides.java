package io.dmarclens.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The command-line flags that override the file and the environment; null (or empty) for "not given".
 */
public record ConfigOverrides(Path dataDir, String smtpListen, String webListen, List<String> recipients,
                              Boolean offline) {
    public static ConfigOverrides none() {
        return new ConfigOverrides(null, null, null, null, null);
    }
}
