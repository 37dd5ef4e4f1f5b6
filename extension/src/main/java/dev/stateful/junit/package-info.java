/**
 * The JUnit Jupiter annotations: {@link dev.stateful.junit.WithVolume}, {@link dev.stateful.junit.MigratedTo}
 * and {@link dev.stateful.junit.RestoredFrom}, each meta-annotated with a package-private extension.
 * The extensions only read configuration, call the public API and keep the handle in the extension
 * store; JUnit is used only here.
 */
package dev.stateful.junit;
