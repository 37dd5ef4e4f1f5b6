package dev.stateful.internal.pg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sort the errors of a {@code pg_restore} or {@code psql} run into the known, harmless
 * differences between {@code pg_dump} versions ({@link Rule}) and the rest.
 *
 * <p>Each tolerated error matches one named rule; there is no blanket "ignore errors". Any
 * other error line makes the restore fail with that line.
 */
public final class RestoreErrors {
    private static final Pattern SERVER_ERROR = Pattern.compile("\\bERROR:\\s+(.*)$");
    private static final Pattern TOOL_ERROR = Pattern.compile("(?i)(\\berror:|\\bfatal:)");

    /** A known difference between {@code pg_dump} versions that does not change the restored data. */
    public enum Rule {
        /**
         * {@code CREATE SCHEMA public} from a dump of Postgres 9.x to 14 (or any {@code --clean}
         * dump) on a server where the database already has its {@code public} schema.
         */
        PUBLIC_SCHEMA_EXISTS("schema \"public\" already exists"),
        /**
         * {@code CREATE PROCEDURAL LANGUAGE plpgsql} or {@code CREATE EXTENSION plpgsql} from
         * Postgres 8.x/9.0 dumps: every database has {@code plpgsql} since 9.0.
         */
        PLPGSQL_EXISTS("(?:language|extension) \"plpgsql\" already exists"),
        /**
         * {@code COMMENT ON EXTENSION} or {@code ALTER EXTENSION ... OWNER} for an extension the
         * image installed itself ({@code plpgsql}), run by a role that does not own it.
         */
        EXTENSION_NOT_OWNED("must be owner of extension plpgsql"),
        /**
         * {@code SET} of a session setting a newer {@code pg_dump} writes at the top of every
         * dump and an older server does not know ({@code transaction_timeout} from 17,
         * {@code default_table_access_method} from 12, {@code idle_in_transaction_session_timeout}
         * from 9.6, {@code row_security} from 9.5).
         */
        NEWER_DUMP_SETTING("unrecognized configuration parameter \"(?:transaction_timeout"
                + "|default_table_access_method|idle_in_transaction_session_timeout|row_security"
                + "|xmloption|lock_timeout)\""),
        /**
         * {@code CREATE ROLE} from {@code pg_dumpall} globals for a role that exists already
         * (the image's own role): its attributes are left as they are.
         */
        ROLE_EXISTS("role \"[^\"]+\" already exists");

        private final Pattern pattern;

        Rule(String regex) {
            this.pattern = Pattern.compile(regex);
        }

        boolean matches(String error) {
            return pattern.matcher(error).find();
        }
    }

    /**
     * What a restore's errors come to.
     *
     * @param tolerated how often each rule matched, in order of first match
     * @param firstUnknown the first error no rule matches, if any
     * @param errorCount all error lines
     */
    public record Outcome(Map<Rule, Integer> tolerated, Optional<String> firstUnknown, int errorCount) {
        /**
         * Tell whether every error was a known harmless one.
         *
         * @return {@code true} when there is no unknown error
         */
        public boolean clean() {
            return firstUnknown.isEmpty();
        }

        /**
         * Describe the tolerated errors for the log.
         *
         * @return such as {@code PUBLIC_SCHEMA_EXISTS x1}
         */
        public String describeTolerated() {
            List<String> parts = new ArrayList<>();
            tolerated.forEach((rule, n) -> parts.add(rule + " x" + n));
            return String.join(", ", parts);
        }
    }

    private RestoreErrors() {
    }

    /**
     * Sort a tool's standard error.
     *
     * @param stderr the output of {@code pg_restore} (without {@code --exit-on-error}) or
     *     {@code psql} (without {@code ON_ERROR_STOP})
     * @param rules the rules that apply
     * @return the outcome
     */
    public static Outcome classify(String stderr, List<Rule> rules) {
        Map<Rule, Integer> tolerated = new LinkedHashMap<>();
        String firstUnknown = null;
        int count = 0;
        for (String line : stderr.split("\\R")) {
            if (!TOOL_ERROR.matcher(line).find()) {
                continue;
            }
            count++;
            Matcher m = SERVER_ERROR.matcher(line);
            String error = m.find() ? m.group(1) : line.strip();
            Rule rule = rules.stream().filter(r -> r.matches(error)).findFirst().orElse(null);
            if (rule != null) {
                tolerated.merge(rule, 1, Integer::sum);
            } else if (firstUnknown == null) {
                firstUnknown = line.strip();
            }
        }
        return new Outcome(tolerated, Optional.ofNullable(firstUnknown), count);
    }
}
