package dev.stateful.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each harmless difference is one named rule matching the tools' real error lines; anything else is unknown. */
class RestoreErrorsTest {
    private static final List<RestoreErrors.Rule> ALL = List.of(RestoreErrors.Rule.values());

    @Test
    void eachRuleMatchesItsRealErrorLine() {
        String stderr = String.join("\n",
                "pg_restore: error: could not execute query: ERROR:  schema \"public\" already exists",
                "Command was: CREATE SCHEMA public;",
                "psql:<stdin>:12: ERROR:  extension \"plpgsql\" already exists",
                "pg_restore: error: could not execute query: ERROR:  must be owner of extension plpgsql",
                "Command was: COMMENT ON EXTENSION plpgsql IS 'PL/pgSQL procedural language';",
                "psql:<stdin>:8: ERROR:  unrecognized configuration parameter \"transaction_timeout\"",
                "psql:<stdin>:9: ERROR:  unrecognized configuration parameter \"default_table_access_method\"",
                "psql: ERROR:  role \"test\" already exists",
                "pg_restore: warning: errors ignored on restore: 4");

        RestoreErrors.Outcome outcome = RestoreErrors.classify(stderr, ALL);

        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.errorCount()).isEqualTo(6);
        assertThat(outcome.tolerated()).isEqualTo(Map.of(
                RestoreErrors.Rule.PUBLIC_SCHEMA_EXISTS, 1, RestoreErrors.Rule.PLPGSQL_EXISTS, 1,
                RestoreErrors.Rule.EXTENSION_NOT_OWNED, 1, RestoreErrors.Rule.NEWER_DUMP_SETTING, 2,
                RestoreErrors.Rule.ROLE_EXISTS, 1));
        assertThat(outcome.describeTolerated()).startsWith("PUBLIC_SCHEMA_EXISTS x1, PLPGSQL_EXISTS x1");
    }

    @Test
    void anythingElseIsUnknownAndTheFirstOneIsKept() {
        String stderr = String.join("\n",
                "psql:<stdin>:3: ERROR:  schema \"public\" already exists",
                "psql:<stdin>:40: ERROR:  relation \"orders\" already exists",
                "psql:<stdin>:41: ERROR:  unrecognized configuration parameter \"work_mem_typo\"",
                "psql:<stdin>:42: ERROR:  must be owner of extension postgis",
                "psql:<stdin>:43: ERROR:  schema \"shop\" already exists");

        RestoreErrors.Outcome outcome = RestoreErrors.classify(stderr, ALL);

        assertThat(outcome.clean()).isFalse();
        assertThat(outcome.firstUnknown()).contains("psql:<stdin>:40: ERROR:  relation \"orders\" already exists");
        assertThat(outcome.tolerated()).containsOnlyKeys(RestoreErrors.Rule.PUBLIC_SCHEMA_EXISTS);
    }

    @Test
    void rulesApplyOnlyWhereGiven() {
        RestoreErrors.Outcome outcome = RestoreErrors.classify("psql: ERROR:  schema \"public\" already exists",
                List.of(RestoreErrors.Rule.ROLE_EXISTS));
        assertThat(outcome.clean()).isFalse();
    }
}
