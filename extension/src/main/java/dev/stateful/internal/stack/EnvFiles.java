package dev.stateful.internal.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .env} and {@code env_file} files: {@code KEY=VALUE} lines, {@code #} comments and
 * blank lines; a value in matching single or double quotes loses them (as Compose v2 reads it). Values
 * are not interpolated.
 */
final class EnvFiles {
    private EnvFiles() {
    }

    /**
     * Read an env file.
     *
     * @param composeFile the compose file, for the messages
     * @param envFile the env file
     * @param service the service that names it, or null for the {@code .env} beside the compose file
     * @param key the key that names it
     * @return its variables in file order
     */
    static Map<String, String> read(Path composeFile, Path envFile, String service, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(envFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ComposeErrors.refuse(composeFile, service, key, "the env file '" + envFile + "' cannot be read ("
                    + e + "); expected a file of KEY=VALUE lines.", "create it, or remove it from the file.");
        } catch (UncheckedIOException e) {
            throw ComposeErrors.refuse(composeFile, service, key, "the env file '" + envFile + "' is not UTF-8 text.",
                    "save it as UTF-8 KEY=VALUE lines.");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq <= 0 || !name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw ComposeErrors.refuse(composeFile, service, key, "line " + (n + 1) + " of the env file '" + envFile
                        + "' is '" + line + "'; expected KEY=VALUE.", "write it as for example DB_PASSWORD=secret.");
            }
            variables.put(name, unquote(line.substring(eq + 1).strip()));
        }
        return variables;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
