package dev.stateful.internal;

import dev.stateful.error.InvalidArgumentException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders-db", "a1", "A_b.c-d", "0volume"})
    void acceptsDockerVolumeNames(String name) {
        assertThat(VolumeNames.validate(name)).isEqualTo(name);
    }

    @Test
    void acceptsTwoHundredCharacters() {
        String name = "v".repeat(200);
        assertThat(VolumeNames.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a", "-db", ".db", "_db", "bad name!", "a/b", "ä-db"})
    void rejectsInvalidNames(String name) {
        assertThatThrownBy(() -> VolumeNames.validate(name)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("volume name '" + name + "' is invalid; expected 2 to 200 characters, starting with a letter "
                        + "or digit, then only letters, digits, '_', '.' or '-'. Fix: use a name such as 'orders-db', "
                        + "or leave the name out to get a generated one.");
    }

    @Test
    void rejectsMoreThanTwoHundredCharacters() {
        assertThatThrownBy(() -> VolumeNames.validate("v".repeat(201))).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void generatesReadableValidUniqueNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String name = VolumeNames.generate("OrderTest");
            assertThat(name).matches("stateful-OrderTest-[0-9a-f]{8}");
            assertThat(VolumeNames.validate(name)).isEqualTo(name);
            names.add(name);
        }
        assertThat(names).hasSize(100);
    }

    @Test
    void generatedNamesCleanTheHint() {
        assertThat(VolumeNames.generate(null)).matches("stateful-[0-9a-f]{8}");
        assertThat(VolumeNames.generate("")).matches("stateful-[0-9a-f]{8}");
        assertThat(VolumeNames.generate("$$$")).matches("stateful-[0-9a-f]{8}");
        assertThat(VolumeNames.generate("Outer$Inner test")).matches("stateful-Outer-Inner-test-[0-9a-f]{8}");
        assertThat(VolumeNames.generate("x".repeat(100))).matches("stateful-x{40}-[0-9a-f]{8}");
    }
}
