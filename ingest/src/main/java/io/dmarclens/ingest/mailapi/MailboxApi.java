package io.dmarclens.ingest.mailapi;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** What the reader needs of a mail API: the messages of the folder, each as raw MIME, and a move. */
interface MailboxApi {
    /** Ids of up to {@code max} messages in the folder read, following the API's pages. */
    List<String> list(int max) throws IOException, InterruptedException;

    /** The message as it arrived (raw MIME); the caller closes the stream. */
    InputStream raw(String id) throws IOException, InterruptedException;

    /** Moves the message out of the folder read into {@code target} (created when missing). */
    void move(String id, String target) throws IOException, InterruptedException;

    /** Path segments and query values, percent-encoded. */
    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
