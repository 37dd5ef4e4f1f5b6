/**
 * Helpers shared by the tests of every module, published as the extension's test jar: JDBC in
 * one line against a running {@link dev.stateful.StatefulPostgres} ({@link dev.stateful.testing.Sql}),
 * and a started handle per test class for tests built on the builder
 * ({@link dev.stateful.testing.StartedHandles}, {@link dev.stateful.testing.Started}), and the
 * check that a run is on the JUnit the build meant ({@link dev.stateful.testing.RunningJUnit}), and
 * where the real public data is, skipped without it but failed in CI ({@link dev.stateful.testing.RealData}),
 * and a probe in a JVM of its own, without some jars or with a small heap ({@link dev.stateful.testing.ProbeJvm}).
 * Not API: only Stateful's own tests use it.
 */
package dev.stateful.testing;
