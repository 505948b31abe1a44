package io.dmarclens.app.cli;

import io.dmarclens.index.store.Database;
import io.dmarclens.index.audit.SqliteAuditLog;
import io.dmarclens.store.Clocks;
import io.dmarclens.web.auth.SecretBox;
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
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.users.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code users add|set|list|remove|token|tokens|revoke-token}: manages dashboard logins, their roles, scopes and
 * API tokens in {@code DATA/web.db} (or the cluster's); every change goes to the audit log as done by {@code cli}
 * from {@code local}.
 */
@Command(name = "users", description = "Manage dashboard users and their read-only API tokens.",
        mixinStandardHelpOptions = true,
        subcommands = {UsersCommand.Add.class, UsersCommand.SetUser.class, UsersCommand.ListUsers.class,
                UsersCommand.Remove.class, UsersCommand.Token.class, UsersCommand.Tokens.class,
                UsersCommand.RevokeToken.class})
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
            return userStore(store, dir, Clocks.system());
        }
        if (!create && !Files.isRegularFile(dir.resolve("web.db"))
                && !Files.isRegularFile(dir.resolve(Database.FILE_NAME))) {
            throw new CliError(2, "no store in " + dir.toAbsolutePath() + " (no web.db, no "
                    + Database.FILE_NAME + "): check --data, or add a user first");
        }
        return userStore(store, dir, Clocks.system());
    }

    /**
     * The users as {@code serve} and {@code users} use them: the accounts and the audit log of the chosen store
     * ({@code web.db} in the data directory, or the cluster's), with two-factor secrets sealed with the key file
     * of the data directory.
     */
    static UserStore userStore(io.dmarclens.app.config.StoreSettings store, Path dir, java.time.Clock clock) {
        return userStore(store, dir, null, clock);
    }

    /**
     * As above, with two-factor secrets sealed under {@code twoFactorKey} ({@code web.two_factor.key_file}, which
     * must exist: several nodes share it) or, when null, under the key file of the data directory.
     */
    static UserStore userStore(io.dmarclens.app.config.StoreSettings store, Path dir, Path twoFactorKey,
                               java.time.Clock clock) {
        io.dmarclens.store.users.Accounts accounts = StoreOption.accounts(store, dir);
        io.dmarclens.store.audit.AuditLog audit = null;
        try {
            audit = store.onOpenSearch() ? io.dmarclens.opensearch.OpenSearchAuditLog.open(store.opensearch())
                    : SqliteAuditLog.open(dir);
            SecretBox box = twoFactorKey == null ? SecretBox.open(dir) : SecretBox.openExisting(twoFactorKey);
            return new UserStore(accounts, audit, box, UserStore.DEFAULT_BCRYPT_COST, clock);
        } catch (RuntimeException e) {
            if (audit != null) {
                audit.close();
            }
            accounts.close();
            throw e;
        }
    }

    /** Notes a change made on the command line in the audit log. */
    static void audit(UserStore users, String action, String subject) {
        users.auditLog().ifPresent(l -> l.append(new AuditEntry(Clocks.system().instant(), "cli", action, subject,
                "local")));
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
        @Option(names = "--role", paramLabel = "ROLE",
                description = "admin, analyst or viewer (default for a new user: admin; an existing one keeps its role)")
        String role;
        @Option(names = "--domains", paramLabel = "D1,D2",
                description = "the policy domains (or patterns such as *.example.com) the user is for, or 'all' "
                        + "(the default)")
        String domains;

        @Override
        public Integer call() throws IOException {
            Role parsedRole;
            try {
                parsedRole = role == null ? null : Role.parse(role);
            } catch (IllegalArgumentException e) {
                System.err.println("users add: " + e.getMessage());
                return 2;
            }
            char[] password = readPassword();
            try (UserStore users = parent.open(data, true)) {
                boolean existed = users.exists(name);
                if (existed) {
                    if (parsedRole != null) {
                        // Checked before the password changes: the last admin stays one, and nothing is half done.
                        users.setRole(name, parsedRole);
                        audit(users, "user.role", "user " + name + " role " + parsedRole.id());
                    }
                    users.addOrReplace(name, password);
                    audit(users, "user.password", "user " + name);
                } else {
                    Role r = parsedRole == null ? Role.ADMIN : parsedRole;
                    users.create(name, password, r);
                    audit(users, "user.add", "user " + name);
                    audit(users, "user.role", "user " + name + " role " + r.id());
                }
                if (domains != null) {
                    String scope = users.setScope(name, domains).orElseThrow();
                    audit(users, "user.scope", "user " + name + " scope " + scope);
                }
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

    /** Changes a user's role, scope or second factor. */
    @Command(name = "set", description = "Change a user's role or domains, or reset its two-factor login.")
    static final class SetUser implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--role", paramLabel = "ROLE", description = "admin, analyst or viewer")
        String role;
        @Option(names = "--domains", paramLabel = "D1,D2",
                description = "the policy domains or patterns, or 'all'")
        String domains;
        @Option(names = "--reset-two-factor", description = "remove the user's second factor and recovery codes "
                + "(a lost phone); the user enrols again")
        boolean resetTwoFactor;

        @Override
        public Integer call() {
            if (role == null && domains == null && !resetTwoFactor) {
                System.err.println("users set: give --role, --domains or --reset-two-factor");
                return 2;
            }
            try (UserStore users = parent.open(data, false)) {
                if (!users.exists(name)) {
                    System.err.println("users set: no user named " + name);
                    return 1;
                }
                if (role != null) {
                    Role r = Role.parse(role);
                    users.setRole(name, r);
                    audit(users, "user.role", "user " + name + " role " + r.id());
                }
                if (domains != null) {
                    String scope = users.setScope(name, domains).orElseThrow();
                    audit(users, "user.scope", "user " + name + " scope " + scope);
                }
                if (resetTwoFactor) {
                    users.twoFactor(java.util.Set.of(), Clocks.system()).remove(name);
                    audit(users, "two-factor", "user " + name + " reset");
                }
                System.out.println("Changed user " + name);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("users set: " + e.getMessage());
                return 2;
            }
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
                    System.out.printf("%-24s role %-8s domains %-24s two-factor %-3s created %s  %d API token(s)%n",
                            u.name(), u.role().id(), u.scope(), u.twoFactor() ? "on" : "off",
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
                audit(users, "user.remove", "user " + name);
                System.out.println("Removed user " + name);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("users remove: " + e.getMessage());
                return 2;
            }
        }
    }

    /** Prints a new read-only API token. */
    @Command(name = "token", description = "Print a new read-only API token for a user (send it as "
            + "'Authorization: Bearer TOKEN'). It carries the user's role and domains, narrowed by --domains.")
    static final class Token implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--domains", paramLabel = "D1,D2",
                description = "only these of the user's policy domains (or patterns such as *.example.com); "
                        + "default: all of the user's")
        String domains;
        @Option(names = "--expires", paramLabel = "P30D|DATE",
                description = "when the token stops working: a period (P30D, P1Y, PT12H) or a day (2027-01-31, "
                        + "the last day it works, UTC); default: never")
        String expires;
        @Option(names = "--label", paramLabel = "L", description = "what the token is for, shown by 'users tokens'")
        String label;

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                java.util.Optional<java.time.Instant> at = expires == null ? java.util.Optional.empty()
                        : java.util.Optional.of(users.expiry(expires));
                String token = users.issueToken(name, label, domains, at);
                audit(users, "token.create", "user " + name + " token " + UserStore.tokenId(token));
                System.out.println(token);
                return 0;
            } catch (IllegalArgumentException e) {
                System.err.println("users token: " + e.getMessage());
                return e.getMessage().startsWith("no such user") ? 1 : 2;
            }
        }
    }

    /** Lists a user's API tokens, never their secrets. */
    @Command(name = "tokens", description = "List a user's API tokens (id, label, domains, created, expires, last "
            + "used); the secrets are not kept and cannot be shown.")
    static final class Tokens implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                if (!users.exists(name)) {
                    System.err.println("users tokens: no user named " + name);
                    return 1;
                }
                var tokens = users.tokens(name);
                if (tokens.isEmpty()) {
                    System.out.println("No API tokens for " + name + ": ./dmarc-lens users token " + name);
                }
                for (io.dmarclens.store.users.ApiToken t : tokens) {
                    System.out.printf("%-16s label %-16s domains %-24s created %s  expires %s  last used %s%n",
                            t.id(), t.label().isEmpty() ? "-" : t.label(), t.scope(),
                            DateTimeFormatter.ISO_INSTANT.format(t.createdAt()),
                            t.expiresAt().map(DateTimeFormatter.ISO_INSTANT::format).orElse("never"),
                            t.lastUsedAt().map(DateTimeFormatter.ISO_INSTANT::format).orElse("never"));
                }
                return 0;
            }
        }
    }

    /** Revokes one API token of a user. */
    @Command(name = "revoke-token", description = "Revoke a user's API token by its id (see 'users tokens'); "
            + "it is refused at once, also by a running server.")
    static final class RevokeToken implements Callable<Integer> {
        @ParentCommand
        UsersCommand parent;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (UserStore users = parent.open(data, false)) {
                if (!users.revokeToken(name, id)) {
                    System.err.println("users revoke-token: " + name + " holds no token " + id
                            + " (see ./dmarc-lens users tokens " + name + ")");
                    return 1;
                }
                audit(users, "token.revoke", "user " + name + " token " + id);
                System.out.println("Revoked token " + id + " of " + name);
                return 0;
            }
        }
    }
}
