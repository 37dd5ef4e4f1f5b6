package dev.stateful.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The key values a row-by-row reset sends to the reference: text array literals inside SQL string literals. */
class ArrayLiteralTest {
    @Test
    void everyElementIsQuotedAndItsQuotesAndBackslashesEscaped() {
        assertThat(CopyBack.arrayLiteral(List.of("1", "a b", "{h,i}", "d\"e", "f\\g", "b'c")))
                .isEqualTo("'{\"1\",\"a b\",\"{h,i}\",\"d\\\"e\",\"f\\\\g\",\"b''c\"}'");
    }

    @Test
    void noValuesIsAnEmptyArray() {
        assertThat(CopyBack.arrayLiteral(List.of())).isEqualTo("'{}'");
    }
}
