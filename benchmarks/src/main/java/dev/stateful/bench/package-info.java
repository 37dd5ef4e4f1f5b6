/**
 * Benchmarks that measure Stateful against its alternatives side by side in one run and print
 * ratios; run through the {@code bench*} Maven profiles.
 */
package dev.stateful.bench;
