/** A small Spring Boot 3.5 order service, the subject of the example tests. */
package dev.stateful.examples.boot3;
