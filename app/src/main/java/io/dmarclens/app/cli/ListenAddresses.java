package io.dmarclens.app.cli;

import io.dmarclens.app.config.ServeConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Tries the addresses {@code serve} will listen on before anything starts, so that a port another
 * program holds is one line before the store opens and the SMTP receiver listens, not a failure of the
 * dashboard after mail was already accepted. A check, not a reservation: the real listen can still fail.
 */
final class ListenAddresses {
    private ListenAddresses() {
    }

    /** @throws CliError (exit status 1) naming the address, the key and the flag */
    static void checkFree(ServeConfig config) {
        if (config.smtp().enabled()) {
            checkFree(config.smtp().host(), config.smtp().port(), "smtp.listen / --smtp-listen");
        }
        checkFree(config.webHost(), config.webPort(), "web.listen / --web-listen");
    }

    private static void checkFree(String host, int port, String setting) {
        if (port == 0) {
            return; // any free port
        }
        // A client socket binds without listening: a listening check socket would accept connections for
        // a moment that nobody serves (a sender would see a reset; a test probing the port, a server that is up).
        // With SO_REUSEADDR, Linux refuses the bind only where a socket listens, as it does for the servers.
        try (Socket socket = new Socket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new CliError(1, "cannot listen on " + host + ":" + port + ": the address is in use (another"
                        + " program listens there: stop it, or set " + setting + ")");
            }
            throw new CliError(1, "cannot listen on " + host + ":" + port + ": " + e.getMessage() + " (set " + setting + ")");
        } catch (IOException e) {
            throw new CliError(1, "cannot listen on " + host + ":" + port + ": " + e.getMessage() + " (set " + setting + ")");
        }
    }
}
