package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Recordings;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The low-level queue events: off by default, on with the {@code vigil-low-level} control of vigil.jfc. */
class QueueJfrTest {

    private static final String EXAMPLE = "dev.vigil.examples.queues.SurvivingConsumer";

    @TempDir
    Path work;

    private void record(Jdk jdk, Path jfr, String extraJfcOptions) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(EXAMPLE)
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + extraJfcOptions + ",filename=" + jfr)
                .run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).endsWith("resized 9, failed 1\n"); // after JFR's start-up lines
        assertThat(jfr).exists();
    }


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void queuePutAndTakeEventsAreOffByDefaultAndOnWithTheControl(Jdk jdk) throws Exception {
        Path off = work.resolve("off.jfr");
        record(jdk, off, "");
        assertThat(Recordings.events(off, "vigil.QueuePut")).isEmpty();
        assertThat(Recordings.events(off, "vigil.QueueTake")).isEmpty();

        Path on = work.resolve("on.jfr");
        record(jdk, on, ",vigil-low-level=true");
        List<RecordedEvent> puts = Recordings.events(on, "vigil.QueuePut");
        List<RecordedEvent> takes = Recordings.events(on, "vigil.QueueTake");
        // Ten jobs and the poison pill, each put by main and taken by the worker.
        assertThat(puts).hasSize(11).allSatisfy(e -> {
            assertThat(e.getString("site")).startsWith(EXAMPLE + ".main:");
            assertThat(e.getString("queueType")).isEqualTo("java.util.concurrent.ArrayBlockingQueue");
            assertThat(e.getBoolean("moved")).isTrue();
            assertThat(e.getThread().getJavaName()).isEqualTo("main");
        });
        assertThat(takes).hasSize(11).allSatisfy(e -> {
            assertThat(e.getString("site")).startsWith(EXAMPLE + ".lambda$main$");
            assertThat(e.getThread().getJavaName()).isEqualTo("resize-worker");
        });
        long queueId = puts.get(0).getLong("queueId");
        assertThat(puts).allSatisfy(e -> assertThat(e.getLong("queueId")).isEqualTo(queueId));
        assertThat(takes).allSatisfy(e -> assertThat(e.getLong("queueId")).isEqualTo(queueId));
    }
}
