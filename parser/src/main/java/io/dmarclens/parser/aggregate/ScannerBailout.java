package io.dmarclens.parser.aggregate;

/**
 * Thrown by {@link Utf8Cursor} when the document holds something it leaves to Woodstox (a DTD, another
 * encoding, a processing instruction, a limit drawing near, anything not well-formed...): the document
 * is then read again by the StAX pass, which decides. Never leaves this package.
 */
final class ScannerBailout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScannerBailout(String why) {
        super(why, null, false, false);
    }
}
