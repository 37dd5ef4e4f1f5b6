/**
 * AssertJ assertions over the public API: whether data survives an operation, schema versions,
 * tables and columns. Entry point: {@link dev.stateful.assertj.StatefulAssertions#assertThat}.
 */
package dev.stateful.assertj;
