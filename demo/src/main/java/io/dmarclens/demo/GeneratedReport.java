package io.dmarclens.demo;

/**
 * One file the demo generator produced: a report as it would arrive (an XML, gzip or zip file, a mail,
 * an ARF failure report or a TLS-RPT JSON), named the way its reporter names it.
 *
 * @param fileName a file name without directories, unique within one generation
 * @param content  the bytes
 */
public record GeneratedReport(String fileName, byte[] content) {
}
