package io.dmarclens.ingest.imap;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;

/**
 * Folder names as the server spells them. The configuration writes a folder hierarchy with "/"
 * ({@code Archive/Aggregate}); servers differ: Dovecot with Maildir, Courier and GreenMail separate levels
 * with ".", and refuse "/" in a name ({@code NO [CANNOT] Invalid mailbox name}). The separator (and the
 * prefix some servers put before every personal folder, such as Courier's {@code INBOX.}) come from the
 * server's personal NAMESPACE, or its LIST of the root when it has no NAMESPACE.
 *
 * @param separator the server's hierarchy separator
 * @param prefix    the personal namespace's prefix without its trailing separator, or empty
 */
record FolderNames(char separator, String prefix) {

    /** Asks the server for its separator and personal namespace. */
    static FolderNames of(Store store) throws MessagingException {
        Folder[] personal = store.getPersonalNamespaces();
        Folder root = personal.length > 0 ? personal[0] : store.getDefaultFolder();
        char separator = root.getSeparator();
        String prefix = root.getFullName();
        if (!prefix.isEmpty() && prefix.charAt(prefix.length() - 1) == separator) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return new FolderNames(separator == 0 ? '/' : separator, prefix);
    }

    /**
     * The server's name for a configured one: each "/" becomes the server's separator, under the personal
     * prefix. INBOX, and names already under the prefix, are left as they are.
     */
    String resolve(String configured) {
        String name = separator == '/' ? configured : configured.replace('/', separator);
        if (prefix.isEmpty() || name.equalsIgnoreCase("INBOX") || name.equals(prefix)
                || name.startsWith(prefix + separator)) {
            return name;
        }
        return prefix + separator + name;
    }
}
