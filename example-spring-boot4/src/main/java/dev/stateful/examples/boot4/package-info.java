/** A small Spring Boot 4.0 order service, the subject of the example tests. */
package dev.stateful.examples.boot4;
