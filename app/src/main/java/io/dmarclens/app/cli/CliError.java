package io.dmarclens.app.cli;

/**
 * An error a user meets, said in one or two lines: what is wrong and what to do. {@link Main} prints the
 * message after the command's name and exits with {@link #exitStatus()}, without a stack trace.
 */
public final class CliError extends RuntimeException {
    private final int exitStatus;

    /**
     * @param exitStatus 2 for a usage, configuration or data directory error, 1 for a failure while running
     * @param message    what is wrong and what to do
     */
    public CliError(int exitStatus, String message) {
        super(message, null, false, false);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }
}
