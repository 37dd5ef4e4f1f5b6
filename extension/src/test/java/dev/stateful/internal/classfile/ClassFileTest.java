package dev.stateful.internal.classfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The class-file reader on real compiled classes: this build's, the JDK's. Pure: no Docker engine. */
class ClassFileTest {
    private static final long BIG = 9_876_543_210L;
    private static final double RATIO = 1.5;

    /** Constants of every kind that takes two constant pool slots, strings beyond ASCII, a lambda, a nested class. */
    static final class Sample extends java.util.AbstractList<String> {
        private final long[] longs = {BIG, System.nanoTime()};
        private final double[] doubles = {RATIO, Math.random()};

        @Override
        public String get(int index) {
            Supplier<String> late = () -> "Größe " + longs[0] + doubles[0] + Integer.toHexString(index);
            return late.get() + new Inner().toString();
        }

        @Override
        public int size() {
            return 1;
        }

        int viaMethodReference(List<String> values) {
            return values.stream().mapToInt(String::length).sum();
        }

        final class Inner {
        }
    }

    @Test
    void readsTheNameSuperclassAndWhatTheConstantPoolRefersTo() throws IOException {
        ClassFile file = read(Sample.class);

        assertThat(file.name()).isEqualTo("dev/stateful/internal/classfile/ClassFileTest$Sample");
        assertThat(file.superName()).isEqualTo("java/util/AbstractList");
        assertThat(file.classes()).contains("dev/stateful/internal/classfile/ClassFileTest$Sample$Inner");
        // Called in the lambda's body (a synthetic method of the same file) and by a method reference.
        assertThat(file.references()).contains(
                new ClassFile.MemberRef("java/lang/Integer", "toHexString", "(I)Ljava/lang/String;"),
                new ClassFile.MemberRef("java/lang/String", "length", "()I"),
                new ClassFile.MemberRef("java/util/function/Supplier", "get", "()Ljava/lang/Object;"),
                new ClassFile.MemberRef("java/lang/System", "nanoTime", "()J"));
        assertThat(file.methodDescriptors()).contains("(I)Ljava/lang/String;", "(Ljava/util/List;)I");
    }

    @Test
    void readsEveryClassOfThisBuildAndOfTheJdkItUses() throws IOException, URISyntaxException {
        Path classes = Path.of(ClassFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(files).hasSizeGreaterThan(100);
        for (Path path : files) {
            try (InputStream in = Files.newInputStream(path)) {
                String expected = classes.relativize(path).toString().replace('\\', '/').replaceFirst("\\.class$", "");
                assertThat(ClassFile.read(in).name()).as(path.toString()).isEqualTo(expected);
            }
        }
        for (Class<?> type : List.of(String.class, Math.class, java.util.concurrent.ConcurrentHashMap.class)) {
            ClassFile file = read(type);
            assertThat(file.name()).isEqualTo(type.getName().replace('.', '/'));
            assertThat(file.methodDescriptors()).isNotEmpty();
        }
        assertThat(read(Object.class).superName()).isNull();
    }

    @Test
    void refusesBytesThatAreNotAClassFile() {
        assertThatThrownBy(() -> ClassFile.read(new ByteArrayInputStream("not a class".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("0xCAFEBABE");
    }

    private static ClassFile read(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return ClassFile.read(in);
        }
    }
}
