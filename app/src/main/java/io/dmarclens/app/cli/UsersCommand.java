package io.dmarclens.app.cli;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.users.UserInfo;
import io.dmarclens.web.auth.UserStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code users add|list|remove|token}: manages dashboard logins in {@code DATA/web.db}. */
@Command(name = "users", description = "Manage dashboard users and their read-only API tokens.",
        mixinStandardHelpOptions = true,
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Remove.class,
                UsersCommand.Token.class})
public final class UsersCommand implements Runnable {
    /** Given before the subcommand ({@code users --data DIR list}); one given after it wins. */
    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    /** {@code users --opensearch URL ...}: the users of the store on that cluster. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The user store of the data directory; only {@code users add} creates one, the other subcommands
     * refuse a directory that holds neither a report store nor users.
     */
    UserStore open(DataDirOption own, boolean create) {
        Path dir = own.given() ? own.path() : data.path();
        io.dmarclens.app.config.StoreSettings store = storeOption.settings();
        if (store.onOpenSearch()) {
            return new UserStore(StoreOption.accounts(store, dir), UserStore.DEFAULT_BCRYPT_COST);
        }
        if (!create && !Files.isRegularFile(dir.resolve("web.db"))
                && !Files.isRegularFile(dir.resolve(Database.FILE_NAME))) {
            throw new CliError(2, "no store in " + dir.toAbsolutePath() + " (no web.db, no "
                    + Database.FILE_NAME + "): check --data, or add a user first");
        }
        return new UserStore(StoreOption.accounts(store, dir), UserStore.DEFAULT_BCRYPT_COST);
    }

    /** Adds a user, or sets a new password for an existing one. */
    @Command(name = "add", description = "Add a user (or set a new password). The password is read from a "
            + "prompt, or from standard input when there is no terminal.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            char[] password = readPassword();
            try (UserStore users = parent.open(data, true)) {
                boolean existed = users.exists(name);
                users.addOrReplace(name, password);
                System.out.println((existed ? "Password changed for " : "Added user ") + name);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("users add: " + e.getMessage());
                return 2;
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        private static char[] readPassword() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] a = console.readPassword("Password: ");
                char[] b = console.readPassword("Repeat password: ");
                if (a == null || !Arrays.equals(a, b)) {
                    throw new IllegalArgumentException("the passwords differ");
                }
                return a;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? new char[0] : line.toCharArray();
        }
    }

    /** Lists the users. */
    @Command(name = "list", description = "List the users.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                var all = users.list();
                if (all.isEmpty()) {
                    System.out.println("No users yet: ./dmarc-lens users add NAME");
                }
                for (UserInfo u : all) {
                    System.out.printf("%-24s created %s  %d API token(s)%n", u.name(),
                            DateTimeFormatter.ISO_INSTANT.format(u.createdAt()), u.tokens());
                }
                return 0;
            }
        }
    }

    /** Removes a user and its tokens. */
    @Command(name = "remove", description = "Remove a user and its API tokens.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                if (!users.remove(name)) {
                    System.err.println("users remove: no user named " + name);
                    return 1;
                }
                System.out.println("Removed user " + name);
                return 0;
            }
        }
    }

    /** Prints a new read-only API token. */
    @Command(name = "token", description = "Print a new read-only API token for a user "
            + "(send it as 'Authorization: Bearer TOKEN').")
    static final class Token implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                System.out.println(users.issueToken(name));
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("users token: " + e.getMessage());
                return 1;
            }
        }
    }
}
