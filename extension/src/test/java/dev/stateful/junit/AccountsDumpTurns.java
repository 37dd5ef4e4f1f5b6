package dev.stateful.junit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The classes that make and read {@link MigratedToRestoredFromTest#DUMP} take turns on it: the test
 * classes run in two JVMs at once (surefire's {@code forkCount} 2), and a class that makes the dump
 * again (a new dump is a new state cache key) must not do so while another JVM's class restores it
 * or counts on its key. A file lock, taken before the class's {@code @BeforeAll} and released after
 * its {@code @AfterAll}, with a deadline; a lock within this JVM first, as a file lock is the JVM's.
 */
final class AccountsDumpTurns implements BeforeAllCallback, AfterAllCallback {
    private static final Path LOCK = Path.of(MigratedToRestoredFromTest.DUMP + ".lock");
    private static final long DEADLINE_MINUTES = 10;
    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();
    private static FileChannel channel;
    private static FileLock lock;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!IN_THIS_JVM.tryLock(DEADLINE_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException(context.getDisplayName() + ": another class of this JVM kept "
                    + MigratedToRestoredFromTest.DUMP + " for over " + DEADLINE_MINUTES + " minutes");
        }
        try {
            Files.createDirectories(LOCK.getParent());
            channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(DEADLINE_MINUTES);
            while ((lock = channel.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(context.getDisplayName() + ": another test JVM kept "
                            + MigratedToRestoredFromTest.DUMP + " for over " + DEADLINE_MINUTES + " minutes");
                }
                Thread.sleep(100);
            }
        } catch (Exception | Error e) {
            release();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        release();
    }

    private static void release() throws IOException {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } finally {
            lock = null;
            channel = null;
            if (IN_THIS_JVM.isHeldByCurrentThread()) {
                IN_THIS_JVM.unlock();
            }
        }
    }
}
