package io.dmarclens.app.cli;

import io.dmarclens.app.config.ConfigException;
import io.dmarclens.store.StoreException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dmarc-lens} command line: one subcommand per job. Errors a user meets are printed as one or
 * two lines after the command's name, with exit status 2 for usage, configuration and data directory
 * errors and 1 for failures while running; stack traces go to the debug log only
 * ({@code DMARC_LENS_LOG_LEVEL=debug}).
 */
@Command(name = "dmarc-lens", mixinStandardHelpOptions = true, version = "DMARC Lens " + Main.VERSION,
        description = "Self-hosted DMARC aggregate, failure and SMTP TLS report processor.",
        subcommands = {
                CommandLine.HelpCommand.class,
                CheckCommand.class,
                QuarantineCommand.class,
                ServeCommand.class,
                ParseCommand.class,
                SearchCommand.class,
                ExportCommand.class,
                ReindexCommand.class,
                RetentionCommand.class,
                ImportCommand.class,
                MigrateCommand.class,
                BenchCommand.class,
                UsersCommand.class,
        })
public final class Main implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** This build's version (the nodes of a cluster say which they run). */
    public static final String VERSION = "0.1.0";
    /** Exit status of a usage, configuration or data directory error. */
    public static final int USAGE = 2;
    /** Exit status of a failure while running. */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status, for tests. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with the error handling users see; tests may redirect its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::failed)
                .setParameterExceptionHandler(Main::misused);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        LOG.debug("{} failed", name, e);
        int status;
        if (e instanceof CliError c) {
            err.println(name + ": " + c.getMessage());
            status = c.exitStatus();
        } else if (e instanceof ConfigException) {
            err.println(name + ": " + e.getMessage());
            status = USAGE;
        } else if (e instanceof CommandLine.ParameterException p) {
            return misused(p, parsed.originalArgs().toArray(new String[0]));
        } else if (e instanceof StoreException) {
            err.println(name + ": " + e.getMessage());
            status = FAILURE;
        } else {
            err.println(name + ": " + describe(e));
            err.println("(the details are in the debug log: run again with DMARC_LENS_LOG_LEVEL=debug)");
            status = FAILURE;
        }
        err.flush();
        return status;
    }

    /** A usage error: the message and where to find the usage, not the whole usage text. */
    private static int misused(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Run '" + name + " --help' for usage.");
        }
        err.flush();
        return USAGE;
    }

    /**
     * The first line of the message of the exception, or of its first cause that has one, or its kind; a
     * file system exception (whose message is only a path) says what happened to the path.
     */
    private static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a directory";
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage().lines().findFirst().orElse("");
            }
        }
        return e.getClass().getSimpleName();
    }
}
