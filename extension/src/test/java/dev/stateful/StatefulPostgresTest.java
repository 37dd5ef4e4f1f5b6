package dev.stateful;

import dev.stateful.internal.HandleAccess;
import dev.stateful.internal.VolumeNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.stateful.internal.engine.DockerEngine;
import dev.stateful.internal.engine.Labels;
import dev.stateful.testing.Sql;
import dev.stateful.testing.Started;
import dev.stateful.testing.StartedHandles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** The handle against a real container: one shared container for the class. */
@StartedHandles
class StatefulPostgresTest {
    @Started
    private static StatefulPostgres db;
    private static final DockerClient DOCKER = DockerClientFactory.instance().client();

    @Test
    void dataSourceFollowsTheContainerAcrossRecreate() throws Exception {
        DataSource ds = db.dataSource();
        String firstContainer = db.containerId();
        db.recreate();
        assertThat(db.containerId()).isNotEqualTo(firstContainer);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("test");
            assertThat(rs.getString(2)).isEqualTo("test");
        }
        assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://").endsWith("/test");
    }

    @Test
    void mountsTheVolumeAtTheImagesPgdata() {
        InspectContainerResponse container = DOCKER.inspectContainerCmd(db.containerId()).exec();
        String pgdata = java.util.Arrays.stream(DOCKER.inspectImageCmd(db.image()).exec().getConfig().getEnv())
                .filter(e -> e.startsWith("PGDATA=")).findFirst().orElseThrow().substring("PGDATA=".length());
        assertThat(HandleAccess.server(db).dataDirectory()).isEqualTo(pgdata);
        assertThat(container.getMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(db.volumeName());
            assertThat(m.getDestination().getPath()).isEqualTo(pgdata);
        });
    }

    @Test
    void bindsTheServerPortToLoopbackOnly() {
        Ports.Binding[] bindings = DOCKER.inspectContainerCmd(db.containerId()).exec()
                .getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(5432));
        assertThat(bindings).extracting(Ports.Binding::getHostIp).containsOnly("127.0.0.1");
    }

    @Test
    void labelsContainerAndVolume() {
        assertThat(DOCKER.inspectContainerCmd(db.containerId()).exec().getConfig().getLabels())
                .containsEntry(Labels.STATEFUL, "true")
                .containsEntry(Labels.RUN, Labels.runId())
                .containsEntry(Labels.EPHEMERAL, "true")
                .containsEntry(Labels.PID, Long.toString(ProcessHandle.current().pid()));
        assertThat(DockerEngine.get().volumeLabels(db.volumeName())).get()
                .satisfies(labels -> assertThat(labels).containsEntry(Labels.STATEFUL, "true").containsEntry(Labels.EPHEMERAL, "true"));
    }

    @Test
    void generatesARandomPasswordPerHandle() {
        try (StatefulPostgres other = StatefulPostgres.builder().build()) {
            assertThat(db.password()).hasSize(24).isNotEqualTo(other.password());
            assertThat(db.toString()).doesNotContain(db.password());
        }
    }

    @Test
    void stoppedServerHasNoUrlUntilStarted() {
        db.stop();
        assertThat(db.isRunning()).isFalse();
        assertThatThrownBy(db::jdbcUrl).isInstanceOf(IllegalStateException.class).hasMessageContaining("is not running; call start()");
        db.start();
        assertThat(db.isRunning()).isTrue();
    }

    @Test
    void closeKeepsEveryCommittedRowOfAKeptNonDurableVolume() throws Exception {
        String name = VolumeNames.generate("closeKeeps");
        try (StatefulPostgres first = StatefulPostgres.builder().volume(name).durable(false).start()) {
            Sql.run(first, "CREATE TABLE committed AS SELECT g FROM generate_series(1, 5000) g");
        }
        try (StatefulPostgres second = StatefulPostgres.builder().volume(name).start()) {
            assertThat(Sql.count(second, "committed")).isEqualTo(5000);
            second.discard();
        }
        assertThat(DockerEngine.get().volumeExists(name)).isFalse();
    }

    @Test
    void closeRemovesContainerAndGeneratedVolumeButKeepsAnExplicitOne() {
        StatefulPostgres generated = StatefulPostgres.builder().nameHint("closeTest").start();
        String container = generated.containerId();
        generated.close();
        assertThat(DockerEngine.get().status(container).exists()).isFalse();
        assertThat(DockerEngine.get().volumeExists(generated.volumeName())).isFalse();

        String explicitName = VolumeNames.generate("explicit");
        StatefulPostgres explicit = StatefulPostgres.builder().volume(explicitName).start();
        explicit.close();
        assertThat(DockerEngine.get().volumeExists(explicitName)).isTrue();
        assertThat(DockerEngine.get().volumeLabels(explicitName)).get()
                .satisfies(labels -> assertThat(labels).containsEntry(Labels.EPHEMERAL, "false"));
        StatefulPostgres.builder().volume(explicitName).build().discard();
        assertThat(DockerEngine.get().volumeExists(explicitName)).isFalse();
    }
}
