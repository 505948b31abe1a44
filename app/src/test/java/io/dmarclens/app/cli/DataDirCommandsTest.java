package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A mistyped {@code --data}: every command that only reads refuses a directory without a store in one
 * line naming it, with exit status 2, and creates nothing; the commands that create a store still do.
 */
class DataDirCommandsTest {
    @TempDir
    Path dir;

    /** Each read-only command: the file it looks for, its name, its arguments with "DATA" for the directory. */
    static Stream<List<String>> readingCommands() {
        return Stream.of(
                List.of("dmarc-lens.db", "search", "search", "--data", "DATA", "dkim:fail"),
                List.of("dmarc-lens.db", "export", "export", "--data", "DATA", "--format", "csv", "records"),
                List.of("dmarc-lens.db", "reindex", "reindex", "--data", "DATA"),
                List.of("dmarc-lens.db", "check", "check", "--data", "DATA", "--dns", "127.0.0.1:9", "example.com"),
                List.of("dmarc-lens.db", "bench queries", "bench", "queries", "--data", "DATA"),
                List.of("dmarc-lens.db", "bench api", "bench", "api", "--data", "DATA"),
                List.of("ingest.db", "quarantine list", "quarantine", "list", "--data", "DATA"),
                List.of("ingest.db", "quarantine show", "quarantine", "show", "--data", "DATA", "20990101T000000000Z-000000000000"),
                List.of("ingest.db", "quarantine download", "quarantine", "download", "--data", "DATA", "20990101T000000000Z-000000000000"),
                List.of("ingest.db", "quarantine retry", "quarantine", "retry", "--data", "DATA", "20990101T000000000Z-000000000000"),
                List.of("web.db, no dmarc-lens.db", "users list", "users", "list", "--data", "DATA"),
                List.of("web.db, no dmarc-lens.db", "users token", "users", "token", "--data", "DATA", "carol"),
                List.of("web.db, no dmarc-lens.db", "users remove", "users", "--data", "DATA", "remove", "carol"),
                List.of("web.db, no dmarc-lens.db", "users tokens", "users", "tokens", "--data", "DATA", "carol"),
                List.of("web.db, no dmarc-lens.db", "users revoke-token", "users", "revoke-token", "--data", "DATA",
                        "carol", "0123456789abcdef"));
    }

    @ParameterizedTest
    @MethodSource("readingCommands")
    void aReadingCommandRefusesADirectoryWithoutAStore(List<String> command) {
        Path typo = dir.resolve("typo-dir");
        List<String> args = new ArrayList<>();
        for (String a : command.subList(2, command.size())) {
            args.add(a.equals("DATA") ? typo.toString() : a);
        }
        Run run = run(args.toArray(String[]::new));
        String name = "dmarc-lens " + command.get(1);
        assertEquals(2, run.status, run.err);
        String what = command.get(0);
        String hint = what.startsWith("web.db") ? "check --data, or add a user first" : "check --data, or import reports first";
        assertEquals(name + ": no store in " + typo.toAbsolutePath() + " (no " + what + "): " + hint + "\n", run.err);
        assertEquals("", run.out);
        assertFalse(Files.exists(typo), "nothing created at " + typo);
    }

    @Test
    void everyCommandSharesOneDataOptionWithOneDefault() {
        CommandLine cli = Main.commandLine();
        List<String> checked = new ArrayList<>();
        walk(cli, checked);
        // bench import and bench smtp make a fresh directory of their own (import empties it first): not the default.
        assertEquals(List.of("check", "quarantine list", "quarantine show", "quarantine download", "quarantine retry",
                "serve", "search", "export", "reindex", "retention", "import", "bench queries", "bench api", "users",
                "users add", "users set", "users list", "users remove", "users token", "users tokens",
                "users revoke-token"), checked);
    }

    private static void walk(CommandLine cli, List<String> checked) {
        CommandLine.Model.OptionSpec data = cli.getCommandSpec().findOption("--data");
        String name = cli.getCommandSpec().qualifiedName().replaceFirst("^dmarc-lens ?", "");
        if (data != null && !name.equals("bench import") && !name.equals("bench smtp")) {
            assertTrue(data.description()[0].endsWith("(default: " + DataDirOption.DEFAULT + ")"), name);
            assertTrue(cli.getCommandSpec().mixins().values().stream()
                    .anyMatch(m -> m.userObject() instanceof DataDirOption), name + " uses the shared option");
            checked.add(name);
        }
        cli.getSubcommands().values().stream().distinct().forEach(sub -> {
            if (!sub.getCommandName().equals("help")) {
                walk(sub, checked);
            }
        });
    }

    @Test
    void theCreatingCommandsStillCreate() throws Exception {
        Path imported = dir.resolve("new-import");
        Path samples = Path.of("..", "sample-reports");
        assertTrue(Files.isDirectory(samples));
        Run imp = run("import", "--offline", "--dns-wait", "0", "--data", imported.toString(), samples.toString());
        assertEquals(0, imp.status, imp.err);
        assertTrue(Files.isRegularFile(imported.resolve("dmarc-lens.db")));

        Path users = dir.resolve("new-users");
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream("s3cret-password\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals(0, Main.run("users", "add", "carol", "--data", users.toString()));
        } finally {
            System.setIn(in);
        }
        assertTrue(Files.isRegularFile(users.resolve("web.db")));
    }

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
