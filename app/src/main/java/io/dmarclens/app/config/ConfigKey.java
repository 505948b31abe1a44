package io.dmarclens.app.config;

import java.util.Locale;

/**
 * One configuration key: its name, how its text is read, and its default. {@link ConfigKeys} holds every
 * key in one table; the file, the environment ({@link #environmentName()}) and the flags all go through it.
 *
 * @param name         the dotted key, relative to its list entry for a key of {@code imap.accounts}
 * @param type         reads the text given for the key
 * @param defaultValue the value when the key is not given (null: none, or one that depends on other keys)
 * @param secret       the value may come from a file instead, named by {@code NAME_file}; never logged
 * @param <T>          the value's type
 */
public record ConfigKey<T>(String name, ValueType<T> type, T defaultValue, boolean secret) {
    /** The environment variable part for this key: {@code smtp.listen} is {@code SMTP_LISTEN}. */
    public String environmentName() {
        return name.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The key of the file holding a secret's value. */
    public String fileKey() {
        return name + "_file";
    }

    /** How the text of a key becomes a value; a wrong text is a {@link ConfigException} naming the key. */
    @FunctionalInterface
    public interface ValueType<T> {
        /**
         * @param key   the full key, for the message
         * @param text  the text given, trimmed and not blank
         * @param where the file (or "configuration") the value came from, for the message
         */
        T parse(String key, String text, String where);
    }
}
