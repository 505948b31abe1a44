package io.dmarclens.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code dmarc-lens} command line: one subcommand per job. */
@Command(name = "dmarc-lens", mixinStandardHelpOptions = true, version = "DMARC Lens 0.1.0",
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
                ImportCommand.class,
                BenchCommand.class,
                UsersCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status, for tests. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
