/**
 * A small Spring Boot order service, the subject of the example tests. The same sources build and
 * run on Boot 3.5 (module example-spring-boot3) and Boot 4.0 (module example-spring-boot4).
 */
package dev.stateful.examples.boot;
