/**
 * Helpers shared by the tests of every module (published as the extension's test jar): JDBC in
 * one line against a running {@link dev.stateful.StatefulPostgres}. Not API: only Stateful's own
 * tests use it.
 */
package dev.stateful.testing;
