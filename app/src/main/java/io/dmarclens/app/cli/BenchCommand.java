package io.dmarclens.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code dmarc-lens bench}: benchmarks; one subcommand each (figures go in docs/performance.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each subcommand prints its figures and how they were taken.",
        subcommands = {
                BenchQueriesCommand.class,
                BenchParseCommand.class,
                BenchSmtpCommand.class,
                BenchImportCommand.class,
                BenchApiCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
