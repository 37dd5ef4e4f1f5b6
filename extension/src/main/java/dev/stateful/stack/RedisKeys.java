package dev.stateful.stack;

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
     * Every key of every database as DUMP payloads with their remaining TTL: a service's baseline.
     *
     * @param entries database, key, payload, TTL in milliseconds (or 0 for none)
     */
    record Copy(List<Entry> entries) {
        record Entry(int db, byte[] key, byte[] payload, long ttlMillis) {
        }
    }

    static Copy copy(Jedis jedis) {
        List<Copy.Entry> entries = new ArrayList<>();
        for (int db : databases(jedis)) {
            jedis.select(db);
            byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
            do {
                ScanResult<byte[]> page = jedis.scan(cursor, new ScanParams().count(1000));
                for (byte[] key : page.getResult()) {
                    byte[] payload = jedis.dump(key);
                    if (payload != null) {
                        long ttl = jedis.pttl(key);
                        entries.add(new Copy.Entry(db, key, payload, ttl > 0 ? ttl : 0));
                    }
                }
                cursor = page.getCursorAsBytes();
            } while (!java.util.Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        }
        jedis.select(0);
        return new Copy(entries);
    }

    static void restore(Jedis jedis, Copy copy) {
        jedis.flushAll();
        for (Copy.Entry entry : copy.entries()) {
            jedis.select(entry.db());
            jedis.restore(entry.key(), entry.ttlMillis(), entry.payload());
        }
        jedis.select(0);
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
