package dev.stateful.internal.classfile;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a compiled class refers to, read from its class file (JVMS chapter 4) without loading it:
 * the constant pool's classes and field, method and interface-method references (a lambda's body
 * is a synthetic method of the same class file, a method reference {@code db::restart} a method
 * handle to a method reference, so both are seen), and the descriptors of the class's own methods.
 *
 * @param name the class's internal name, such as {@code dev/example/OrderTest$Nested}
 * @param superName the superclass's internal name, or {@code null} in {@code java/lang/Object} itself
 * @param classes the internal names of the classes the constant pool names
 * @param references the fields and methods the constant pool refers to
 * @param methodDescriptors the descriptors of the class's own methods, such as {@code (Ljava/lang/String;)V}
 */
public record ClassFile(String name, String superName, Set<String> classes, List<MemberRef> references,
        List<String> methodDescriptors) {

    /**
     * A field or method that a class file refers to.
     *
     * @param owner the internal name of the class named in the reference
     * @param name the member's name
     * @param descriptor the member's descriptor
     */
    public record MemberRef(String owner, String name, String descriptor) {
    }

    private static final int MAGIC = 0xCAFEBABE;

    /**
     * Read a class file.
     *
     * @param in the class file's bytes; not closed
     * @return what the class refers to
     * @throws IOException when the stream fails or is not a class file
     */
    public static ClassFile read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a class file: it does not start with 0xCAFEBABE");
        }
        data.readUnsignedShort();
        data.readUnsignedShort();
        int count = data.readUnsignedShort();
        int[] tags = new int[count];
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = data.readUTF();
                case 3, 4 -> data.readInt();
                case 5, 6 -> {
                    data.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> first[i] = data.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = data.readUnsignedShort();
                    second[i] = data.readUnsignedShort();
                }
                case 15 -> {
                    data.readUnsignedByte();
                    first[i] = data.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> classes = new LinkedHashSet<>();
        List<MemberRef> references = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == 7) {
                classes.add(utf8[first[i]]);
            } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
                int nameAndType = second[i];
                references.add(new MemberRef(utf8[first[first[i]]], utf8[first[nameAndType]], utf8[second[nameAndType]]));
            }
        }
        data.readUnsignedShort();
        String name = utf8[first[data.readUnsignedShort()]];
        int superIndex = data.readUnsignedShort();
        String superName = superIndex == 0 ? null : utf8[first[superIndex]];
        int interfaces = data.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            data.readUnsignedShort();
        }
        skipMembers(data);
        List<String> methodDescriptors = new ArrayList<>();
        int methods = data.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            data.readUnsignedShort();
            data.readUnsignedShort();
            methodDescriptors.add(utf8[data.readUnsignedShort()]);
            skipAttributes(data);
        }
        return new ClassFile(name, superName, Set.copyOf(classes), List.copyOf(references), List.copyOf(methodDescriptors));
    }

    private static void skipMembers(DataInputStream data) throws IOException {
        int members = data.readUnsignedShort();
        for (int i = 0; i < members; i++) {
            data.readUnsignedShort();
            data.readUnsignedShort();
            data.readUnsignedShort();
            skipAttributes(data);
        }
    }

    private static void skipAttributes(DataInputStream data) throws IOException {
        int attributes = data.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            data.readUnsignedShort();
            data.skipNBytes(Integer.toUnsignedLong(data.readInt()));
        }
    }
}
