package io.dmarclens.app.config;

/** The configuration is wrong; the message names the key (and file) and says what is expected. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
