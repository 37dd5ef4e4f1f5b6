package dev.stateful.assertj;

/**
 * Action that may throw a checked exception, such as {@code db::restart} or a lambda running SQL.
 *
 * <pre>{@code
 * assertThat(db).survives(() -> {
 *     db.stop();
 *     db.start();
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ThrowingRunnable {
    /**
     * Run the action.
     *
     * @throws Exception when the action fails
     */
    void run() throws Exception;
}
