package io.dmarclens.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Builds compression bombs cheaply: a block of fill bytes is compressed once and its compressed form
 * repeated, which is a valid deflate stream because each piece ends on a full flush (byte-aligned, no
 * back-reference into the previous piece). 10 GB of content then costs about 10 MB and no CPU time.
 * The trailers' CRC and size are not right; a reader stopped by the cap never gets that far.
 */
final class Bombs {
    private static final int FILL_BLOCK = 1 << 20;

    private Bombs() {
    }

    /** Raw deflate data that inflates to {@code prefix}, then {@code fillBytes} copies of {@code fill}. */
    static byte[] deflate(byte[] prefix, byte fill, long fillBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(flushed(prefix));
        byte[] block = new byte[FILL_BLOCK];
        java.util.Arrays.fill(block, fill);
        byte[] compressedBlock = flushed(block);
        for (long done = 0; done < fillBytes; done += FILL_BLOCK) {
            out.writeBytes(compressedBlock);
        }
        out.writeBytes(finished());
        return out.toByteArray();
    }

    /** A gzip file whose content is {@code prefix} and then {@code fillBytes} of {@code fill}. */
    static byte[] gzip(byte[] prefix, byte fill, long fillBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        out.writeBytes(deflate(prefix, fill, fillBytes));
        out.writeBytes(new byte[8]); // CRC-32 and size: wrong, never reached
        return out.toByteArray();
    }

    /** A zip archive with one deflated member of that content; the headers declare the real sizes. */
    static byte[] zip(String name, byte[] prefix, byte fill, long fillBytes) {
        byte[] data = deflate(prefix, fill, fillBytes);
        long size = prefix.length + fillBytes;
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(30 + nameBytes.length + data.length + 46 + nameBytes.length + 22 + 40)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                .putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(data.length).putInt((int) Math.min(size, 0xfffffffeL))
                .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes).put(data);
        int cen = b.position();
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                .putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(data.length).putInt((int) Math.min(size, 0xfffffffeL))
                .putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(nameBytes);
        int cenSize = b.position() - cen;
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(cenSize).putInt(cen).putShort((short) 0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] flushed(byte[] input) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length || !d.needsInput());
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] finished() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[256];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
