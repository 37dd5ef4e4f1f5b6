package dev.stateful.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.StatefulSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which classes share the run's server (the default, {@code stateful.server=shared}): decided
 * from the annotation and the class's compiled code before anything starts. Pure: no Docker engine.
 */
class SharedServerDecisionTest {
    private static final StatefulSettings DEFAULTS = settings(Map.of());
    private static final StatefulSettings OWN = settings(Map.of("stateful.server", "own"));

    @Test
    void aPlainClassSharesByDefaultAndNotWhenTheRunSaysOwn() {
        assertThat(SharedServers.shares(DEFAULTS, annotation(SharedServerSamples.Plain.class))).isTrue();
        assertThat(SharedServers.shares(OWN, annotation(SharedServerSamples.Plain.class))).isFalse();
        assertThat(SharedServers.shares(OWN, annotation(SharedServerSamples.Ordinary.class), SharedServerSamples.Ordinary.class))
                .isFalse();
    }

    @Test
    void aClassThatAsksForAServerOfItsOwnGetsOne() {
        for (Class<?> type : new Class<?>[] {SharedServerSamples.OwnServer.class, SharedServerSamples.Named.class,
                SharedServerSamples.Durable.class, SharedServerSamples.Image.class, SharedServerSamples.Database.class,
                SharedServerSamples.Username.class, SharedServerSamples.KeptVolume.class}) {
            assertThat(SharedServers.shares(DEFAULTS, annotation(type))).as(type.getSimpleName()).isFalse();
        }
    }

    @Test
    void aClassWhoseCodeCallsAnOperationOnTheWholeServerGetsOne() {
        Map<Class<?>, String> found = Map.of(
                SharedServerSamples.Restarts.class, "calls StatefulPostgres.restart in dev.stateful.junit.SharedServerSamples$Restarts",
                SharedServerSamples.KillsInAMethodReference.class, "calls StatefulPostgres.kill in ",
                SharedServerSamples.RemovesTheVolumeInALambda.class, "calls StatefulPostgres.removeVolume in ",
                SharedServerSamples.RecreatesInAnAnonymousClass.class,
                        "calls StatefulPostgres.recreate in dev.stateful.junit.SharedServerSamples$RecreatesInAnAnonymousClass$1",
                SharedServerSamples.SnapshotsTheVolumeInANestedClass.class,
                        "calls Snapshots.snapshotVolume in dev.stateful.junit.SharedServerSamples$SnapshotsTheVolumeInANestedClass$Inner",
                SharedServerSamples.BacksUpTheVolume.class, "uses BackupKind.VOLUME in ",
                SharedServerSamples.RunsADrill.class, "takes a RestoreDrill parameter in ",
                SharedServerSamples.InheritsAStop.class, "calls StatefulPostgres.stop in dev.stateful.junit.SharedServerSamples$Stops");
        found.forEach((type, what) -> {
            assertThat(OwnServerScan.find(type)).as(type.getSimpleName()).hasValueSatisfying(v -> assertThat(v).startsWith(what));
            assertThat(SharedServers.shares(DEFAULTS, annotation(type), type)).as(type.getSimpleName()).isFalse();
        });
    }

    @Test
    void ordinaryWorkACallInAHelperClassAndASiblingsCallsStillShare() {
        for (Class<?> type : new Class<?>[] {SharedServerSamples.Plain.class, SharedServerSamples.Ordinary.class,
                SharedServerSamples.RestartsInAHelper.class, SharedServerSamples.Sibling.class}) {
            assertThat(OwnServerScan.find(type)).as(type.getSimpleName()).isEmpty();
            assertThat(SharedServers.shares(DEFAULTS, annotation(type), type)).as(type.getSimpleName()).isTrue();
        }
    }

    private static StatefulSettings settings(Map<String, String> parameters) {
        return StatefulSettings.fromParameters(name -> Optional.ofNullable(parameters.get(name)));
    }

    private static WithVolume annotation(Class<?> type) {
        return org.junit.platform.commons.support.AnnotationSupport.findAnnotation(type, WithVolume.class).orElseThrow();
    }
}
