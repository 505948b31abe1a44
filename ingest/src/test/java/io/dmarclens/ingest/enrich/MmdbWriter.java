package io.dmarclens.ingest.enrich;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small IPv4 MaxMind DB (MMDB, format 2.0) files for tests, since MaxMind's writer is not
 * published for Java: a binary search tree with 24-bit records, the data section and the metadata, as
 * the specification at maxmind.github.io/MaxMind-DB describes. Values may be strings, maps, lists
 * and {@link Long} (written as uint32).
 */
final class MmdbWriter {
    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};

    private static final class Node {
        Object left;  // Node, Integer (data offset) or null
        Object right;
    }

    private final String databaseType;
    private final Node root = new Node();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** Maps every address of {@code cidr} (e.g. "192.0.2.0/24") to {@code value}. */
    MmdbWriter insert(String cidr, Map<String, ?> value) {
        String[] parts = cidr.split("/");
        byte[] address = OwnSenders.address(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        int offset = data.size();
        encode(value, data);
        Node node = root;
        for (int bit = 0; bit < prefix; bit++) {
            boolean one = ((address[bit / 8] >> (7 - bit % 8)) & 1) == 1;
            if (bit == prefix - 1) {
                if (one) {
                    node.right = offset;
                } else {
                    node.left = offset;
                }
                break;
            }
            Object child = one ? node.right : node.left;
            if (!(child instanceof Node)) {
                child = new Node();
                if (one) {
                    node.right = child;
                } else {
                    node.left = child;
                }
            }
            node = (Node) child;
        }
        return this;
    }

    void write(Path file) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<Node, Integer> index = new IdentityHashMap<>();
        nodes.add(root);
        index.put(root, 0);
        for (int i = 0; i < nodes.size(); i++) {
            for (Object child : new Object[] {nodes.get(i).left, nodes.get(i).right}) {
                if (child instanceof Node n) {
                    index.put(n, nodes.size());
                    nodes.add(n);
                }
            }
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : nodes) {
            record(out, value(n.left, index, nodeCount));
            record(out, value(n.right, index, nodeCount));
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("node_count", (long) nodeCount);
        metadata.put("record_size", new Uint16(24));
        metadata.put("ip_version", new Uint16(4));
        metadata.put("database_type", databaseType);
        metadata.put("languages", List.of("en"));
        metadata.put("binary_format_major_version", new Uint16(2));
        metadata.put("binary_format_minor_version", new Uint16(0));
        metadata.put("build_epoch", new Uint64(1_767_225_600L));
        metadata.put("description", Map.of("en", "DMARC Lens test database"));
        encode(metadata, out);
        Files.write(file, out.toByteArray());
    }

    private static int value(Object child, Map<Node, Integer> index, int nodeCount) {
        if (child instanceof Node n) {
            return index.get(n);
        }
        if (child instanceof Integer offset) {
            return nodeCount + 16 + offset;
        }
        return nodeCount;
    }

    private static void record(ByteArrayOutputStream out, int value) {
        out.write(value >> 16);
        out.write(value >> 8);
        out.write(value);
    }

    record Uint16(int value) {
    }

    record Uint64(long value) {
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof Map<?, ?> map) {
            control(out, 7, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                encode(e.getKey().toString(), out);
                encode(e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            control(out, 11, list.size());
            for (Object item : list) {
                encode(item, out);
            }
        } else if (value instanceof Long n) {
            unsigned(out, 6, n, 4);
        } else if (value instanceof Uint16 n) {
            unsigned(out, 5, n.value(), 2);
        } else if (value instanceof Uint64 n) {
            unsigned(out, 9, n.value(), 8);
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long value, int maxBytes) {
        int bytes = 0;
        for (long v = value; v != 0 && bytes < maxBytes; v >>>= 8) {
            bytes++;
        }
        control(out, type, bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    private static void control(ByteArrayOutputStream out, int type, int size) {
        int sizeBits = size < 29 ? size : size < 285 ? 29 : 30;
        if (type <= 7) {
            out.write((type << 5) | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        if (sizeBits == 29) {
            out.write(size - 29);
        } else if (sizeBits == 30) {
            out.write((size - 285) >> 8);
            out.write(size - 285);
        }
    }
}
