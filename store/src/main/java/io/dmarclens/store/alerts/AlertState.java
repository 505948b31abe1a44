package io.dmarclens.store.alerts;

/** Where an alert stands. */
public enum AlertState {
    /** The condition holds and nobody acknowledged it. */
    OPEN,
    /** The condition holds; somebody acknowledged it (with a comment). */
    ACKNOWLEDGED,
    /** The condition cleared. */
    RESOLVED
}
