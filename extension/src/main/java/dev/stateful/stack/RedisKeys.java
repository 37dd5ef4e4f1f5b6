package dev.stateful.stack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/** Every key of every Redis database, with its type, its value and whether it has a TTL. */
final class RedisKeys {
    private static final Pattern DATABASE = Pattern.compile("^db(\\d+):", Pattern.MULTILINE);

    private RedisKeys() {
    }

    static void read(Jedis jedis, Map<String, String> into) {
        for (int db : databases(jedis)) {
            jedis.select(db);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(1000));
                for (String key : page.getResult()) {
                    String type = jedis.type(key);
                    String value = value(jedis, key, type);
                    if (value != null) {
                        into.put("db" + db + " " + key, type + " " + value + " ttl:" + (jedis.pttl(key) >= 0 ? "yes" : "no"));
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        jedis.select(0);
    }

    /**
     * Write every key of every database as its DUMP payload with its remaining TTL into a file,
     * streamed: a service's baseline, never held in the heap (one key's payload at a time).
     * Each record: database, key length, key, payload length, payload, TTL in milliseconds (0 for none).
     *
     * @return how many keys were written
     */
    static long copy(Jedis jedis, Path file) throws IOException {
        long count = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (int db : databases(jedis)) {
                jedis.select(db);
                byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
                do {
                    ScanResult<byte[]> page = jedis.scan(cursor, new ScanParams().count(1000));
                    for (byte[] key : page.getResult()) {
                        byte[] payload = jedis.dump(key);
                        if (payload != null) {
                            long ttl = jedis.pttl(key);
                            out.writeInt(db);
                            out.writeInt(key.length);
                            out.write(key);
                            out.writeInt(payload.length);
                            out.write(payload);
                            out.writeLong(ttl > 0 ? ttl : 0);
                            count++;
                        }
                    }
                    cursor = page.getCursorAsBytes();
                } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
            }
        } finally {
            jedis.select(0);
        }
        return count;
    }

    /** Flush every database and RESTORE the keys a {@link #copy(Jedis, Path)} wrote, reading the file as a stream. */
    static void restore(Jedis jedis, Path file) throws IOException {
        jedis.flushAll();
        int selected = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            while (true) {
                int db;
                try {
                    db = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                long ttl = in.readLong();
                if (db != selected) {
                    jedis.select(db);
                    selected = db;
                }
                jedis.restore(key, ttl, payload);
            }
        } finally {
            jedis.select(0);
        }
    }

    private static List<Integer> databases(Jedis jedis) {
        Matcher m = DATABASE.matcher(jedis.info("keyspace"));
        List<Integer> databases = new ArrayList<>();
        while (m.find()) {
            databases.add(Integer.parseInt(m.group(1)));
        }
        return databases;
    }

    /** The value as text, in a stable order; null when the key expired meanwhile. */
    private static String value(Jedis jedis, String key, String type) {
        switch (type) {
            case "string":
                return jedis.get(key);
            case "list":
                return jedis.lrange(key, 0, -1).toString();
            case "set":
                return new TreeSet<>(jedis.smembers(key)).toString();
            case "zset":
                List<String> entries = new ArrayList<>();
                for (Tuple t : jedis.zrangeWithScores(key, 0, -1)) {
                    entries.add(t.getElement() + "=" + t.getScore());
                }
                return entries.toString();
            case "hash":
                return new TreeMap<>(jedis.hgetAll(key)).toString();
            case "none":
                return null;
            default:
                return "(" + type + ", " + jedis.memoryUsage(key) + " bytes)";
        }
    }
}
