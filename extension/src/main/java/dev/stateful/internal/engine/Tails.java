package dev.stateful.internal.engine;

import java.util.Arrays;

/** Cut text to its last lines, for error messages. */
public final class Tails {
    private Tails() {
    }

    /**
     * Return the last {@code lines} lines of {@code text}, without a trailing newline.
     *
     * @param text any text
     * @param lines how many lines at most
     * @return the tail
     */
    public static String lastLines(String text, int lines) {
        String[] all = text.strip().split("\\R");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }
}
