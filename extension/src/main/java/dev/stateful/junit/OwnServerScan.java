package dev.stateful.junit;

import dev.stateful.internal.classfile.ClassFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decide from a test class's compiled code whether it needs a server of its own: it reads the
 * class files of the class, of its nested, inner, local and anonymous classes (lambdas are in
 * the same files) and of its superclasses, and looks for a call to an operation on the whole
 * server. A call made elsewhere (in a helper class) is not seen: on a shared server, that
 * operation fails with a message that names it and {@code @WithVolume(ownServer = true)}.
 */
final class OwnServerScan {
    private static final Logger LOG = LoggerFactory.getLogger(OwnServerScan.class);
    private static final String HANDLE = "dev/stateful/StatefulPostgres";
    private static final String SNAPSHOTS = "dev/stateful/snapshot/Snapshots";
    private static final String BACKUP_KIND = "dev/stateful/snapshot/BackupKind";
    private static final String DRILL = "dev/stateful/drill/RestoreDrill";

    /** The operations on the whole server, as {@code owner.name}: every overload counts. */
    static final List<String> OPERATIONS = List.of(HANDLE + ".stop", HANDLE + ".restart", HANDLE + ".kill",
            HANDLE + ".recreate", HANDLE + ".removeVolume", SNAPSHOTS + ".snapshotVolume",
            SNAPSHOTS + ".restoreVolume", BACKUP_KIND + ".VOLUME", DRILL + ".of");

    private OwnServerScan() {
    }

    /**
     * Find the first call to an operation on the whole server in the test class's code.
     *
     * @param testClass the class carrying {@code @WithVolume}
     * @return what was found and where, such as {@code calls StatefulPostgres.restart in dev.example.OrderTest$1};
     *     empty when nothing was (or the class files could not be read)
     */
    static Optional<String> find(Class<?> testClass) {
        Deque<String> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            queue.add(c.getName().replace('.', '/'));
        }
        ClassLoader loader = testClass.getClassLoader();
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!seen.add(name)) {
                continue;
            }
            ClassFile file = read(loader, name);
            if (file == null) {
                continue;
            }
            Optional<String> found = operationIn(file);
            if (found.isPresent()) {
                return found;
            }
            for (String referenced : file.classes()) {
                // Its own nested, inner, local and anonymous classes; not the enclosing class or siblings.
                if (referenced.startsWith(name + "$")) {
                    queue.add(referenced);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> operationIn(ClassFile file) {
        for (ClassFile.MemberRef ref : file.references()) {
            if (OPERATIONS.contains(ref.owner() + "." + ref.name())) {
                String verb = ref.owner().equals(BACKUP_KIND) ? "uses " : "calls ";
                return Optional.of(verb + simpleName(ref.owner()) + "." + ref.name() + " in " + file.name().replace('/', '.'));
            }
        }
        for (String descriptor : file.methodDescriptors()) {
            // An injected RestoreDrill destroys its source volume by default.
            if (descriptor.contains("L" + DRILL + ";")) {
                return Optional.of("takes a RestoreDrill parameter in " + file.name().replace('/', '.'));
            }
        }
        return Optional.empty();
    }

    private static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static ClassFile read(ClassLoader loader, String name) {
        if (loader == null || name.startsWith("java/")) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? null : ClassFile.read(in);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the class file of {}: {}", name, e.toString());
            return null;
        }
    }
}
