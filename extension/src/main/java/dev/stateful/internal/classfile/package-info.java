/**
 * Not API. A minimal reader of compiled class files: the class's name, its superclass, the
 * classes and members its constant pool refers to, and its own methods' descriptors. Stateful
 * reads test classes with it to decide, before a class starts, whether it needs a server of its
 * own.
 */
package dev.stateful.internal.classfile;
