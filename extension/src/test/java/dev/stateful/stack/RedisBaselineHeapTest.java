package dev.stateful.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.testing.ProbeJvm;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A Redis baseline bigger than the heap: in a JVM with {@code -Xmx48m}, 96 keys of 1 MiB (random,
 * so the DUMP payloads do not compress) are kept as the baseline, flushed, and reset, key for key.
 * Held in the heap, the baseline would not fit.
 */
@Tag("docker")
class RedisBaselineHeapTest {
    private static final int KEYS = 96;
    private static final String FILL = String.join("\n",
            "local t = {}",
            "for j = 1, 65536 do t[j] = string.char(math.random(0, 255)) end",
            "local value = string.rep(table.concat(t), 16)",
            "for i = 1, tonumber(ARGV[1]) do redis.call('SET', 'big:' .. i, i .. value) end",
            "return tonumber(ARGV[1])");
    private static final String DIGEST = "return redis.sha1hex(redis.call('GET', KEYS[1]))";

    @Test
    @Timeout(300)
    void aBaselineOfAHundredMegabytesResetsInA48MegabyteHeap(@TempDir Path dir) throws Exception {
        String text = ProbeJvm.withThisClasspath().options("-Xmx48m").run(dir, RedisBaselineHeapTest.class, 280);
        System.out.println(text.lines().filter(l -> l.startsWith("PROBE")).reduce("", (a, b) -> a + b + "\n"));
        assertThat(text).as(text).contains("PROBE filled " + KEYS + " keys", "PROBE reset " + KEYS + " keys, identical: true")
                .doesNotContain("OutOfMemoryError");
    }

    /**
     * The probe, in the small heap.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int exit = 1;
        try (StatefulStack stack = StatefulStack.fromCompose(Path.of("src/test/resources/stack/docker-compose.yml"))
                .services("cache").nameHint("RedisHeap").start()) {
            String before;
            try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379), 60_000)) {
                System.out.println("PROBE filled " + jedis.eval(FILL, 0, Integer.toString(KEYS)) + " keys");
                before = jedis.eval(DIGEST, 1, "big:7") + " " + jedis.eval(DIGEST, 1, "big:" + KEYS);
            }
            stack.takeBaseline();
            try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379), 60_000)) {
                jedis.flushAll();
            }
            stack.resetToBaseline();
            try (Jedis jedis = new Jedis("127.0.0.1", stack.service("cache").port(6379), 60_000)) {
                String after = jedis.eval(DIGEST, 1, "big:7") + " " + jedis.eval(DIGEST, 1, "big:" + KEYS);
                System.out.println("PROBE reset " + jedis.dbSize() + " keys, identical: " + before.equals(after));
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("PROBE max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, peak heap used "
                    + (peak >> 20) + " MiB (pools summed)");
            exit = 0;
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        }
        System.out.flush();
        System.exit(exit);
    }
}
